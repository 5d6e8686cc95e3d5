/**
 * The shipped categories as the device needs them (id, key, examples, parent); what people read
 * about them (label, description, Topics path) is in taxonomy-texts.ts. The non-sensitive top-level entries of the Topics API taxonomy v2 and a
 * selection of their children, plus two of our own (Reference, Science) that v2 dropped. Ids are
 * Topics v2 ids (checked against the v2 file by taxonomy.test.ts); own ids start at 10000.
 * Append only: never change an id's meaning, never remove an entry (retire it in docs instead).
 */
import type { ShippedCategory } from './taxonomy.ts';

export const shippedCategories: readonly ShippedCategory[] = [
  // ── Arts & entertainment ──────────────────────────────────────────────────────────────────
  {
    id: 1,
    key: 'arts-entertainment',
    examples: ['netflix.com', 'imdb.com', 'spotify.com'],
  },
  {
    id: 350,
    key: 'celebrities-entertainment-news',
    examples: ['tmz.com', 'people.com', 'eonline.com'],
    parentId: 1,
  },
  {
    id: 351,
    key: 'comics-animation',
    examples: ['crunchyroll.com', 'webtoons.com', 'marvel.com'],
    parentId: 1,
  },
  {
    id: 354,
    key: 'event-ticket-sales',
    examples: ['ticketmaster.com', 'eventbrite.com', 'stubhub.com'],
    parentId: 1,
  },
  {
    id: 12,
    key: 'movies',
    examples: ['imdb.com', 'rottentomatoes.com', 'letterboxd.com'],
    parentId: 1,
  },
  {
    id: 23,
    key: 'music-audio',
    examples: ['spotify.com', 'soundcloud.com', 'genius.com'],
    parentId: 1,
  },
  {
    id: 361,
    key: 'performing-arts',
    examples: ['broadway.com', 'metopera.org', 'roh.org.uk'],
    parentId: 1,
  },
  {
    id: 363,
    key: 'tv-video',
    examples: ['youtube.com', 'vimeo.com', 'tvguide.com'],
    parentId: 1,
  },
  {
    id: 364,
    key: 'live-video-streaming',
    examples: ['twitch.tv', 'kick.com'],
    parentId: 363,
  },
  {
    id: 365,
    key: 'movie-tv-streaming',
    examples: ['netflix.com', 'disneyplus.com', 'max.com'],
    parentId: 363,
  },
  {
    id: 53,
    key: 'visual-art-design',
    examples: ['behance.net', 'dribbble.com', 'moma.org'],
    parentId: 1,
  },
  // ── Autos & vehicles ──────────────────────────────────────────────────────────────────────
  {
    id: 57,
    key: 'autos-vehicles',
    examples: ['caranddriver.com', 'motortrend.com', 'topgear.com'],
  },
  {
    id: 369,
    key: 'bicycles-accessories',
    examples: ['trekbikes.com', 'specialized.com', 'bikeradar.com'],
    parentId: 57,
  },
  {
    id: 70,
    key: 'motorcycles',
    examples: ['harley-davidson.com', 'ducati.com', 'cycleworld.com'],
    parentId: 57,
  },
  {
    id: 81,
    key: 'vehicle-parts-accessories',
    examples: ['autozone.com', 'rockauto.com', 'tirerack.com'],
    parentId: 57,
  },
  {
    id: 83,
    key: 'vehicle-shopping',
    examples: ['autotrader.com', 'cars.com', 'carvana.com'],
    parentId: 57,
  },
  // ── Beauty & fitness (never health) ─────────────────────────────────────────────────────
  {
    id: 86,
    key: 'beauty-fitness',
    examples: ['sephora.com', 'vogue.com', 'strava.com'],
  },
  {
    id: 88,
    key: 'face-body-care',
    examples: ['sephora.com', 'ulta.com', 'lookfantastic.com'],
    parentId: 86,
  },
  {
    id: 96,
    key: 'fashion-style',
    examples: ['vogue.com', 'elle.com', 'gq.com'],
    parentId: 86,
  },
  {
    id: 97,
    key: 'fitness',
    examples: ['strava.com', 'onepeloton.com', 'bodybuilding.com'],
    parentId: 86,
  },
  // ── Books & literature ────────────────────────────────────────────────────────────────────
  {
    id: 100,
    key: 'books-literature',
    examples: ['goodreads.com', 'penguinrandomhouse.com', 'gutenberg.org'],
  },
  {
    id: 396,
    key: 'audiobooks',
    examples: ['audible.com', 'libro.fm'],
    parentId: 100,
  },
  {
    id: 397,
    key: 'book-retailers',
    examples: ['barnesandnoble.com', 'bookshop.org', 'waterstones.com'],
    parentId: 100,
  },
  {
    id: 398,
    key: 'fan-fiction',
    examples: ['archiveofourown.org', 'fanfiction.net', 'wattpad.com'],
    parentId: 100,
  },
  {
    id: 400,
    key: 'magazines',
    examples: ['newyorker.com', 'theatlantic.com', 'wired.com'],
    parentId: 100,
  },
  // ── Business & industrial ─────────────────────────────────────────────────────────────────
  {
    id: 103,
    key: 'business-industrial',
    examples: ['alibaba.com', 'grainger.com', 'hbr.org'],
  },
  {
    id: 104,
    key: 'advertising-marketing',
    examples: ['hubspot.com', 'mailchimp.com', 'semrush.com'],
    parentId: 103,
  },
  {
    id: 404,
    key: 'business-services',
    examples: ['fedex.com', 'ups.com', 'fiverr.com'],
    parentId: 103,
  },
  // ── Computers & electronics ───────────────────────────────────────────────────────────────
  {
    id: 126,
    key: 'computers-electronics',
    examples: ['theverge.com', 'techcrunch.com', 'arstechnica.com'],
  },
  {
    id: 420,
    key: 'computer-hardware',
    examples: ['dell.com', 'lenovo.com', 'tomshardware.com'],
    parentId: 126,
  },
  {
    id: 423,
    key: 'computer-security',
    examples: ['norton.com', '1password.com', 'krebsonsecurity.com'],
    parentId: 126,
  },
  {
    id: 129,
    key: 'consumer-electronics',
    examples: ['apple.com', 'samsung.com', 'bestbuy.com'],
    parentId: 126,
  },
  {
    id: 140,
    key: 'software',
    examples: ['microsoft.com', 'adobe.com', 'chatgpt.com'],
    parentId: 126,
  },
  {
    id: 439,
    key: 'business-productivity-software',
    examples: ['notion.so', 'slack.com', 'atlassian.com'],
    parentId: 140,
  },
  // ── Food & drink ──────────────────────────────────────────────────────────────────────────
  {
    id: 172,
    key: 'food-drink',
    examples: ['allrecipes.com', 'seriouseats.com', 'bonappetit.com'],
  },
  {
    id: 173,
    key: 'cooking-recipes',
    examples: ['allrecipes.com', 'bbcgoodfood.com', 'foodnetwork.com'],
    parentId: 172,
  },
  {
    id: 460,
    key: 'grocery-delivery',
    examples: ['instacart.com', 'ocado.com', 'tesco.com'],
    parentId: 172,
  },
  {
    id: 461,
    key: 'restaurant-delivery',
    examples: ['doordash.com', 'ubereats.com', 'deliveroo.co.uk'],
    parentId: 172,
  },
  {
    id: 462,
    key: 'restaurants',
    examples: ['opentable.com', 'yelp.com', 'thefork.com'],
    parentId: 172,
  },
  // ── Games ─────────────────────────────────────────────────────────────────────────────────
  {
    id: 180,
    key: 'games',
    examples: ['ign.com', 'steampowered.com', 'chess.com'],
  },
  {
    id: 183,
    key: 'computer-video-games',
    examples: ['steampowered.com', 'ign.com', 'epicgames.com'],
    parentId: 180,
  },
  {
    id: 465,
    key: 'board-games',
    examples: ['boardgamegeek.com', 'chess.com', 'lichess.org'],
    parentId: 180,
  },
  // ── Hobbies & leisure ─────────────────────────────────────────────────────────────────────
  {
    id: 196,
    key: 'hobbies-leisure',
    examples: ['instructables.com', 'hackaday.com', 'ravelry.com'],
  },
  {
    id: 469,
    key: 'art-craft-supplies',
    examples: ['michaels.com', 'joann.com', 'hobbycraft.co.uk'],
    parentId: 196,
  },
  {
    id: 201,
    key: 'outdoors',
    examples: ['alltrails.com', 'rei.com', 'patagonia.com'],
    parentId: 196,
  },
  // ── Home & garden ─────────────────────────────────────────────────────────────────────────
  {
    id: 207,
    key: 'home-garden',
    examples: ['ikea.com', 'homedepot.com', 'houzz.com'],
  },
  {
    id: 211,
    key: 'home-improvement',
    examples: ['homedepot.com', 'lowes.com', 'screwfix.com'],
    parentId: 207,
  },
  {
    id: 482,
    key: 'home-furnishings',
    examples: ['ikea.com', 'wayfair.com', 'westelm.com'],
    parentId: 207,
  },
  {
    id: 519,
    key: 'patio-lawn-garden',
    examples: ['gardenersworld.com', 'burpee.com', 'rhs.org.uk'],
    parentId: 207,
  },
  // ── Internet & telecom ────────────────────────────────────────────────────────────────────
  {
    id: 215,
    key: 'internet-telecom',
    examples: ['google.com', 'bing.com', 'duckduckgo.com'],
  },
  {
    id: 528,
    key: 'mobile-phones',
    examples: ['gsmarena.com', 'androidauthority.com', 'phonearena.com'],
    parentId: 215,
  },
  {
    id: 530,
    key: 'service-providers',
    examples: ['verizon.com', 't-mobile.com', 'vodafone.co.uk'],
    parentId: 215,
  },
  {
    id: 532,
    key: 'voice-video-chat',
    examples: ['zoom.us', 'whatsapp.com', 'discord.com'],
    parentId: 215,
  },
  {
    id: 533,
    key: 'web-services',
    examples: ['cloudflare.com', 'aws.amazon.com', 'wix.com'],
    parentId: 215,
  },
  {
    id: 534,
    key: 'cloud-storage',
    examples: ['dropbox.com', 'drive.google.com', 'box.com'],
    parentId: 533,
  },
  {
    id: 224,
    key: 'web-design-development',
    examples: ['github.com', 'stackoverflow.com', 'developer.mozilla.org'],
    parentId: 533,
  },
  {
    id: 536,
    key: 'web-hosting-domains',
    examples: ['godaddy.com', 'namecheap.com', 'bluehost.com'],
    parentId: 533,
  },
  // ── Jobs & education ──────────────────────────────────────────────────────────────────────
  {
    id: 226,
    key: 'jobs-education',
    examples: ['linkedin.com', 'coursera.org', 'indeed.com'],
  },
  {
    id: 227,
    key: 'education',
    examples: ['coursera.org', 'quizlet.com', 'duolingo.com'],
    parentId: 226,
  },
  {
    id: 229,
    key: 'colleges-universities',
    examples: ['mit.edu', 'ox.ac.uk', 'stanford.edu'],
    parentId: 227,
  },
  {
    id: 277,
    key: 'foreign-language-study',
    examples: ['duolingo.com', 'babbel.com', 'busuu.com'],
    parentId: 227,
  },
  {
    id: 541,
    key: 'open-online-courses',
    examples: ['coursera.org', 'edx.org', 'udemy.com'],
    parentId: 227,
  },
  {
    id: 236,
    key: 'jobs',
    examples: ['indeed.com', 'linkedin.com', 'glassdoor.com'],
    parentId: 226,
  },
  // ── News ──────────────────────────────────────────────────────────────────────────────────
  {
    id: 243,
    key: 'news',
    examples: ['bbc.com', 'reuters.com', 'theguardian.com'],
  },
  {
    id: 561,
    key: 'business-news',
    examples: ['bloomberg.com', 'ft.com', 'wsj.com'],
    parentId: 243,
  },
  // ── Online communities ────────────────────────────────────────────────────────────────────
  {
    id: 250,
    key: 'online-communities',
    examples: ['reddit.com', 'quora.com', 'stackexchange.com'],
  },
  {
    id: 253,
    key: 'social-networks',
    examples: ['facebook.com', 'instagram.com', 'tiktok.com'],
    parentId: 250,
  },
  // ── Pets & animals ────────────────────────────────────────────────────────────────────────
  {
    id: 263,
    key: 'pets-animals',
    examples: ['chewy.com', 'petsathome.com', 'akc.org'],
  },
  // ── Real estate ───────────────────────────────────────────────────────────────────────────
  {
    id: 272,
    key: 'real-estate',
    examples: ['zillow.com', 'rightmove.co.uk', 'realtor.com'],
  },
  {
    id: 565,
    key: 'real-estate-listings',
    examples: ['zillow.com', 'rightmove.co.uk', 'immobilienscout24.de'],
    parentId: 272,
  },
  // ── Shopping ──────────────────────────────────────────────────────────────────────────────
  {
    id: 289,
    key: 'shopping',
    examples: ['amazon.com', 'ebay.com', 'etsy.com'],
  },
  {
    id: 572,
    key: 'apparel',
    examples: ['zara.com', 'hm.com', 'asos.com'],
    parentId: 289,
  },
  {
    id: 293,
    key: 'coupons-discount-offers',
    examples: ['retailmenot.com', 'slickdeals.net', 'hotukdeals.com'],
    parentId: 289,
  },
  {
    id: 603,
    key: 'mass-merchants-department-stores',
    examples: ['walmart.com', 'target.com', 'johnlewis.com'],
    parentId: 289,
  },
  {
    id: 607,
    key: 'product-reviews-price-comparisons',
    examples: ['wirecutter.com', 'rtings.com', 'pricerunner.com'],
    parentId: 289,
  },
  // ── Sports ────────────────────────────────────────────────────────────────────────────────
  {
    id: 299,
    key: 'sports',
    examples: ['espn.com', 'skysports.com', 'theathletic.com'],
  },
  {
    id: 300,
    key: 'american-football',
    examples: ['nfl.com', 'profootballfocus.com'],
    parentId: 299,
  },
  {
    id: 303,
    key: 'baseball',
    examples: ['mlb.com', 'baseball-reference.com'],
    parentId: 299,
  },
  {
    id: 304,
    key: 'basketball',
    examples: ['nba.com', 'basketball-reference.com'],
    parentId: 299,
  },
  {
    id: 309,
    key: 'cricket',
    examples: ['espncricinfo.com', 'cricbuzz.com', 'icc-cricket.com'],
    parentId: 299,
  },
  {
    id: 310,
    key: 'cycling',
    examples: ['cyclingnews.com', 'letour.fr', 'procyclingstats.com'],
    parentId: 299,
  },
  {
    id: 315,
    key: 'golf',
    examples: ['pgatour.com', 'golfdigest.com', 'theopen.com'],
    parentId: 299,
  },
  {
    id: 317,
    key: 'hockey',
    examples: ['nhl.com', 'hockey-reference.com'],
    parentId: 299,
  },
  {
    id: 610,
    key: 'motor-sports',
    examples: ['formula1.com', 'nascar.com', 'motogp.com'],
    parentId: 299,
  },
  {
    id: 325,
    key: 'soccer',
    examples: ['premierleague.com', 'uefa.com', 'transfermarkt.com'],
    parentId: 299,
  },
  {
    id: 611,
    key: 'sporting-goods',
    examples: ['decathlon.com', 'nike.com', 'dickssportinggoods.com'],
    parentId: 299,
  },
  {
    id: 328,
    key: 'tennis',
    examples: ['atptour.com', 'wtatennis.com', 'wimbledon.com'],
    parentId: 299,
  },
  // ── Travel & transportation ───────────────────────────────────────────────────────────────
  {
    id: 332,
    key: 'travel-transportation',
    examples: ['tripadvisor.com', 'lonelyplanet.com', 'maps.google.com'],
  },
  {
    id: 334,
    key: 'air-travel',
    examples: ['skyscanner.net', 'delta.com', 'ryanair.com'],
    parentId: 332,
  },
  {
    id: 336,
    key: 'car-rentals',
    examples: ['hertz.com', 'enterprise.com', 'sixt.com'],
    parentId: 332,
  },
  {
    id: 337,
    key: 'cruises-charters',
    examples: ['royalcaribbean.com', 'carnival.com', 'cruisecritic.com'],
    parentId: 332,
  },
  {
    id: 340,
    key: 'hotels-accommodations',
    examples: ['booking.com', 'hotels.com', 'marriott.com'],
    parentId: 332,
  },
  {
    id: 622,
    key: 'vacation-rentals',
    examples: ['airbnb.com', 'vrbo.com'],
    parentId: 340,
  },
  {
    id: 341,
    key: 'long-distance-bus-rail',
    examples: ['amtrak.com', 'thetrainline.com', 'flixbus.com'],
    parentId: 332,
  },
  {
    id: 626,
    key: 'travel-agencies-services',
    examples: ['expedia.com', 'kayak.com', 'getyourguide.com'],
    parentId: 332,
  },
  // ── Our own (no Topics v2 entry) ──────────────────────────────────────────────────────────
  {
    id: 10_001,
    key: 'reference',
    examples: ['wikipedia.org', 'merriam-webster.com', 'deepl.com'],
  },
  {
    id: 10_002,
    key: 'science',
    examples: ['nature.com', 'nasa.gov', 'arxiv.org'],
  },
];
