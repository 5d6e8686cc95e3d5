/**
 * What people read about each shipped category (taxonomy-categories.ts), by id: its label, a
 * one-line description and the Topics v2 path it corresponds to. The union, the console and the
 * docs use them; the service worker does not (configs carry their own labels), so they live
 * apart from the categories and stay out of its bundle (docs/decisions.md, D-021).
 */
import type { CategoryText } from './taxonomy.ts';

export const categoryTexts: Readonly<Record<number, CategoryText>> = {
  1: {
    label: 'Arts & entertainment',
    description: 'Films, TV, music, streaming, celebrity news and the performing arts.',
    topicsPath: '/Arts & Entertainment',
  },
  350: {
    label: 'Celebrity & entertainment news',
    description: 'Celebrity gossip, showbiz news and entertainment magazines online.',
    topicsPath: '/Arts & Entertainment/Celebrities & Entertainment News',
  },
  351: {
    label: 'Comics & animation',
    description: 'Comic books, web comics, manga and anime.',
    topicsPath: '/Arts & Entertainment/Comics & Animation',
  },
  354: {
    label: 'Event tickets',
    description: 'Tickets for concerts, shows, festivals and live events.',
    topicsPath: '/Arts & Entertainment/Events & Listings/Event Ticket Sales',
  },
  12: {
    label: 'Movies',
    description: 'Film databases, reviews, trailers and cinema listings.',
    topicsPath: '/Arts & Entertainment/Movies',
  },
  23: {
    label: 'Music & audio',
    description: 'Music streaming, radio, podcasts, lyrics and musical instruments.',
    topicsPath: '/Arts & Entertainment/Music & Audio',
  },
  361: {
    label: 'Performing arts',
    description: 'Theatre, opera, ballet and concert halls.',
    topicsPath: '/Arts & Entertainment/Performing Arts',
  },
  363: {
    label: 'TV & video',
    description: 'Television channels, video sharing and online video.',
    topicsPath: '/Arts & Entertainment/TV & Video',
  },
  364: {
    label: 'Live video streaming',
    description: 'Live streams of games, creators and events.',
    topicsPath: '/Arts & Entertainment/TV & Video/Live Video Streaming',
  },
  365: {
    label: 'Movie & TV streaming',
    description: 'Subscription and on-demand film and TV streaming services.',
    topicsPath: '/Arts & Entertainment/TV & Video/Movie & TV Streaming',
  },
  53: {
    label: 'Visual art & design',
    description: 'Art, illustration, photography, design portfolios and museums.',
    topicsPath: '/Arts & Entertainment/Visual Art & Design',
  },
  57: {
    label: 'Autos & vehicles',
    description: 'Cars, motorcycles and other vehicles: reviews, buying, maintenance.',
    topicsPath: '/Autos & Vehicles',
  },
  369: {
    label: 'Bicycles & accessories',
    description: 'Bikes, e-bikes, parts and cycling gear.',
    topicsPath: '/Autos & Vehicles/Bicycles & Accessories',
  },
  70: {
    label: 'Motorcycles',
    description: 'Motorcycle makers, reviews and riding.',
    topicsPath: '/Autos & Vehicles/Motor Vehicles (By Type)/Motorcycles',
  },
  81: {
    label: 'Vehicle parts & accessories',
    description: 'Car parts, tyres and accessories shops.',
    topicsPath: '/Autos & Vehicles/Vehicle Parts & Accessories',
  },
  83: {
    label: 'Vehicle shopping',
    description: 'New and used car listings, dealers and valuations.',
    topicsPath: '/Autos & Vehicles/Vehicle Shopping',
  },
  86: {
    label: 'Beauty & fitness',
    description: 'Cosmetics, hair care, fashion and fitness training (not health or medicine).',
    topicsPath: '/Beauty & Fitness',
  },
  88: {
    label: 'Face & body care',
    description: 'Make-up, skin care, fragrances and toiletries.',
    topicsPath: '/Beauty & Fitness/Face & Body Care',
  },
  96: {
    label: 'Fashion & style',
    description: 'Fashion magazines, trends and style advice.',
    topicsPath: '/Beauty & Fitness/Fashion & Style',
  },
  97: {
    label: 'Fitness',
    description: 'Workouts, gyms, training apps and fitness equipment.',
    topicsPath: '/Beauty & Fitness/Fitness',
  },
  100: {
    label: 'Books & literature',
    description: 'Books, reading communities, authors and literature.',
    topicsPath: '/Books & Literature',
  },
  396: {
    label: 'Audiobooks',
    description: 'Audiobook shops and listening services.',
    topicsPath: '/Books & Literature/Audiobooks',
  },
  397: {
    label: 'Book shops',
    description: 'Online book shops and e-book stores.',
    topicsPath: '/Books & Literature/Book Retailers',
  },
  398: {
    label: 'Fan fiction',
    description: 'Fan fiction archives and serial-fiction communities.',
    topicsPath: '/Books & Literature/Fan Fiction',
  },
  400: {
    label: 'Magazines',
    description: 'General-interest magazines and long-form journalism.',
    topicsPath: '/Books & Literature/Magazines',
  },
  103: {
    label: 'Business & industrial',
    description: 'Companies, industry, trade and business tools.',
    topicsPath: '/Business & Industrial',
  },
  104: {
    label: 'Advertising & marketing',
    description: 'Marketing tools, agencies and industry news.',
    topicsPath: '/Business & Industrial/Advertising & Marketing',
  },
  404: {
    label: 'Business services',
    description: 'Services for businesses: shipping, printing, office supplies, freelancing.',
    topicsPath: '/Business & Industrial/Business Services',
  },
  126: {
    label: 'Computers & electronics',
    description: 'Technology news, computers, gadgets and software.',
    topicsPath: '/Computers & Electronics',
  },
  420: {
    label: 'Computer hardware',
    description: 'PCs, laptops, components and peripherals.',
    topicsPath: '/Computers & Electronics/Computer Hardware',
  },
  423: {
    label: 'Computer security',
    description: 'Antivirus, password managers, VPNs and security news.',
    topicsPath: '/Computers & Electronics/Computer Security',
  },
  129: {
    label: 'Consumer electronics',
    description: 'Phones, TVs, cameras, audio and gadgets, their makers and shops.',
    topicsPath: '/Computers & Electronics/Consumer Electronics',
  },
  140: {
    label: 'Software',
    description: 'Software makers, apps, downloads and AI assistants.',
    topicsPath: '/Computers & Electronics/Software',
  },
  439: {
    label: 'Productivity software',
    description: 'Office suites, project management and collaboration tools.',
    topicsPath: '/Computers & Electronics/Software/Business & Productivity Software',
  },
  172: {
    label: 'Food & drink',
    description: 'Food, drink, recipes, restaurants and food delivery.',
    topicsPath: '/Food & Drink',
  },
  173: {
    label: 'Cooking & recipes',
    description: 'Recipes, cooking techniques and food blogs.',
    topicsPath: '/Food & Drink/Cooking & Recipes',
  },
  460: {
    label: 'Grocery delivery',
    description: 'Online supermarkets and grocery delivery.',
    topicsPath: '/Food & Drink/Grocery Delivery Services',
  },
  461: {
    label: 'Restaurant delivery',
    description: 'Takeaway and restaurant delivery apps.',
    topicsPath: '/Food & Drink/Restaurant Delivery Services',
  },
  462: {
    label: 'Restaurants',
    description: 'Restaurant guides, reviews, bookings and chains.',
    topicsPath: '/Food & Drink/Restaurants',
  },
  180: {
    label: 'Games',
    description: 'Video games, board games, puzzles and game news.',
    topicsPath: '/Games',
  },
  183: {
    label: 'Computer & video games',
    description: 'Game stores, platforms, news, reviews and wikis.',
    topicsPath: '/Games/Computer & Video Games',
  },
  465: {
    label: 'Board games',
    description: 'Board games, card games, chess and puzzles.',
    topicsPath: '/Games/Board Games',
  },
  196: {
    label: 'Hobbies & leisure',
    description: 'Crafts, collecting, outdoors and other pastimes.',
    topicsPath: '/Hobbies & Leisure',
  },
  469: {
    label: 'Art & craft supplies',
    description: 'Craft shops, sewing, knitting and art materials.',
    topicsPath: '/Hobbies & Leisure/Art & Craft Supplies',
  },
  201: {
    label: 'Outdoors',
    description: 'Hiking, camping, fishing, climbing and outdoor gear.',
    topicsPath: '/Hobbies & Leisure/Outdoors',
  },
  207: {
    label: 'Home & garden',
    description: 'Home improvement, furniture, decoration, appliances and gardening.',
    topicsPath: '/Home & Garden',
  },
  211: {
    label: 'Home improvement',
    description: 'DIY, tools, building supplies and renovation.',
    topicsPath: '/Home & Garden/Home Improvement',
  },
  482: {
    label: 'Home furnishings',
    description: 'Furniture, lighting, rugs and home decoration shops.',
    topicsPath: '/Home & Garden/Home Furnishings',
  },
  519: {
    label: 'Patio, lawn & garden',
    description: 'Gardening, plants, lawn care and outdoor living.',
    topicsPath: '/Home & Garden/Patio, Lawn & Garden',
  },
  215: {
    label: 'Internet & telecom',
    description: 'Search engines, email, web services, phones and telecom providers.',
    topicsPath: '/Internet & Telecom',
  },
  528: {
    label: 'Mobile phones',
    description: 'Phone reviews, comparisons and phone news.',
    topicsPath: '/Internet & Telecom/Mobile Phones',
  },
  530: {
    label: 'Telecom providers',
    description: 'Mobile networks, broadband, cable and satellite providers.',
    topicsPath: '/Internet & Telecom/Service Providers',
  },
  532: {
    label: 'Voice & video chat',
    description: 'Messaging, video calls and web chat apps.',
    topicsPath: '/Internet & Telecom/Voice & Video Chat',
  },
  533: {
    label: 'Web services',
    description: 'Cloud platforms, online tools and services for running web sites.',
    topicsPath: '/Internet & Telecom/Web Services',
  },
  534: {
    label: 'Cloud storage',
    description: 'File storage, sync and sharing.',
    topicsPath: '/Internet & Telecom/Web Services/Cloud Storage',
  },
  224: {
    label: 'Web & software development',
    description: 'Code hosting, programming Q&A, developer documentation and tools.',
    topicsPath: '/Internet & Telecom/Web Services/Web Design & Development',
  },
  536: {
    label: 'Web hosting & domains',
    description: 'Web hosting, domain registrars and site builders’ hosting plans.',
    topicsPath: '/Internet & Telecom/Web Services/Web Hosting & Domain Registration',
  },
  226: {
    label: 'Jobs & education',
    description: 'Work and learning: job search, careers, schools and courses.',
    topicsPath: '/Jobs & Education',
  },
  227: {
    label: 'Education',
    description: 'Learning resources, study tools, universities and online courses.',
    topicsPath: '/Jobs & Education/Education',
  },
  229: {
    label: 'Colleges & universities',
    description: 'University web sites, admissions and campus life.',
    topicsPath: '/Jobs & Education/Education/Colleges & Universities',
  },
  277: {
    label: 'Language learning',
    description: 'Language courses, dictionaries for learners and practice apps.',
    topicsPath: '/Jobs & Education/Education/Foreign Language Study',
  },
  541: {
    label: 'Online courses',
    description: 'MOOCs and online course platforms.',
    topicsPath: '/Jobs & Education/Education/Open Online Courses',
  },
  236: {
    label: 'Jobs',
    description: 'Job listings, career advice, CVs and professional networks.',
    topicsPath: '/Jobs & Education/Jobs',
  },
  243: {
    label: 'News',
    description: 'General news sites, newspapers, broadcasters and weather.',
    topicsPath: '/News',
  },
  561: {
    label: 'Business news',
    description: 'Business and economic news (not personal finance).',
    topicsPath: '/News/Business News',
  },
  250: {
    label: 'Online communities',
    description: 'Forums, Q&A sites, social networks and community platforms.',
    topicsPath: '/Online Communities',
  },
  253: {
    label: 'Social networks',
    description: 'Social media feeds and networks.',
    topicsPath: '/Online Communities/Social Networks',
  },
  263: {
    label: 'Pets & animals',
    description: 'Pet shops, pet care, animals and wildlife.',
    topicsPath: '/Pets & Animals',
  },
  272: {
    label: 'Real estate',
    description: 'Homes for sale and rent, property news and agents (not mortgages).',
    topicsPath: '/Real Estate',
  },
  565: {
    label: 'Property listings',
    description: 'Property portals listing homes for sale or rent.',
    topicsPath: '/Real Estate/Real Estate Listings',
  },
  289: {
    label: 'Shopping',
    description: 'Online shops, marketplaces and price comparison.',
    topicsPath: '/Shopping',
  },
  572: {
    label: 'Clothing & shoes',
    description: 'Clothing, shoes and accessories shops.',
    topicsPath: '/Shopping/Apparel',
  },
  293: {
    label: 'Coupons & deals',
    description: 'Voucher codes, cashback and deal-sharing sites.',
    topicsPath: '/Shopping/Coupons & Discount Offers',
  },
  603: {
    label: 'Department stores',
    description: 'Department stores and big general retailers.',
    topicsPath: '/Shopping/Mass Merchants & Department Stores',
  },
  607: {
    label: 'Product reviews & price comparison',
    description: 'Product tests, buying guides and price comparison sites.',
    topicsPath: '/Shopping/Product Reviews & Price Comparisons',
  },
  299: {
    label: 'Sports',
    description: 'Sports news, scores, leagues, clubs and sporting goods.',
    topicsPath: '/Sports',
  },
  300: {
    label: 'American football',
    description: 'The NFL, college football and their teams.',
    topicsPath: '/Sports/American Football',
  },
  303: {
    label: 'Baseball',
    description: 'Major League Baseball and baseball statistics.',
    topicsPath: '/Sports/Baseball',
  },
  304: {
    label: 'Basketball',
    description: 'The NBA, EuroLeague and basketball statistics.',
    topicsPath: '/Sports/Basketball',
  },
  309: {
    label: 'Cricket',
    description: 'Cricket scores, boards and leagues.',
    topicsPath: '/Sports/Cricket',
  },
  310: {
    label: 'Cycling',
    description: 'Cycle racing news and results.',
    topicsPath: '/Sports/Cycling',
  },
  315: {
    label: 'Golf',
    description: 'Golf tours, news and golf equipment.',
    topicsPath: '/Sports/Golf',
  },
  317: {
    label: 'Hockey',
    description: 'Ice hockey leagues and news.',
    topicsPath: '/Sports/Hockey',
  },
  610: {
    label: 'Motor sports',
    description: 'Formula 1, NASCAR, MotoGP and other racing.',
    topicsPath: '/Sports/Motor Sports',
  },
  325: {
    label: 'Football (soccer)',
    description: 'Football leagues, clubs, scores and transfer news.',
    topicsPath: '/Sports/Soccer',
  },
  611: {
    label: 'Sporting goods',
    description: 'Sports equipment and sportswear shops and brands.',
    topicsPath: '/Sports/Sporting Goods',
  },
  328: {
    label: 'Tennis',
    description: 'Tennis tours, tournaments and news.',
    topicsPath: '/Sports/Tennis',
  },
  332: {
    label: 'Travel & transportation',
    description: 'Flights, hotels, holiday rentals, maps, travel guides and public transport.',
    topicsPath: '/Travel & Transportation',
  },
  334: {
    label: 'Air travel',
    description: 'Airlines, airports and flight search.',
    topicsPath: '/Travel & Transportation/Air Travel',
  },
  336: {
    label: 'Car rentals',
    description: 'Car hire companies and rental comparison.',
    topicsPath: '/Travel & Transportation/Car Rentals',
  },
  337: {
    label: 'Cruises & charters',
    description: 'Cruise lines and cruise booking.',
    topicsPath: '/Travel & Transportation/Cruises & Charters',
  },
  340: {
    label: 'Hotels & accommodation',
    description: 'Hotel chains and accommodation booking.',
    topicsPath: '/Travel & Transportation/Hotels & Accommodations',
  },
  622: {
    label: 'Holiday rentals',
    description: 'Holiday homes and short-term rentals.',
    topicsPath:
      '/Travel & Transportation/Hotels & Accommodations/Vacation Rentals & Short-Term Stays',
  },
  341: {
    label: 'Trains & coaches',
    description: 'Rail operators, coach companies and ticket sites.',
    topicsPath: '/Travel & Transportation/Long Distance Bus & Rail',
  },
  626: {
    label: 'Travel agencies',
    description: 'Online travel agencies, package holidays and tours.',
    topicsPath: '/Travel & Transportation/Travel Agencies & Services',
  },
  10001: {
    label: 'Reference',
    description: 'Encyclopaedias, dictionaries, translation, maps of knowledge and how-to guides.',
  },
  10002: {
    label: 'Science',
    description: 'Science news, journals, space and research institutions.',
  },
};
