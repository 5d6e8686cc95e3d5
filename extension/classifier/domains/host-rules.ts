import type { DomainGroup } from './domain-group.ts';

/**
 * Host rules: host names BELOW a registrable domain whose site belongs to a different category
 * than the domain itself (maps.google.com is travel while google.com is search). The classifier
 * tries the exact host, then each parent up to the registrable domain, so a host rule wins over
 * its domain's rule and also covers its own subdomains. Every entry here must differ from what
 * its parents would give (domain-list.test.ts checks it); every other file lists registrable
 * domains only.
 */
export const hostRules: DomainGroup = {
  'music-audio': ['music.youtube.com', 'music.apple.com', 'podcasts.apple.com', 'music.amazon.com'],
  'movie-tv-streaming': ['tv.youtube.com', 'tv.apple.com'],
  'visual-art-design': [
    'stock.adobe.com',
    'fonts.adobe.com',
    'fonts.google.com',
    'artsandculture.google.com',
  ],
  'books-literature': ['books.google.com', 'books.apple.com', 'read.amazon.com'],
  'business-industrial': ['sloanreview.mit.edu'],
  'advertising-marketing': ['ads.google.com', 'analytics.google.com', 'advertising.amazon.com'],
  'business-services': ['sellercentral.amazon.com'],
  'computers-electronics': ['news.ycombinator.com'],
  'consumer-electronics': ['store.google.com'],
  software: [
    'gemini.google.com',
    'notebooklm.google.com',
    'aistudio.google.com',
    'play.google.com',
    'apps.apple.com',
    'affinity.serif.com',
  ],
  'business-productivity-software': [
    'docs.google.com',
    'sheets.google.com',
    'slides.google.com',
    'calendar.google.com',
    'keep.google.com',
  ],
  'cooking-recipes': ['cooking.nytimes.com'],
  'computer-video-games': ['gaming.amazon.com', 'luna.amazon.com'],
  'internet-telecom': ['search.brave.com', 'outlook.office.com'],
  'voice-video-chat': ['meet.google.com', 'teams.microsoft.com', 'teams.live.com'],
  'web-services': ['aws.amazon.com', 'azure.microsoft.com', 'cloud.google.com'],
  'cloud-storage': ['drive.google.com', 'photos.google.com', 'onedrive.live.com'],
  'web-design-development': [
    'developer.mozilla.org',
    'developers.google.com',
    'firebase.google.com',
    'developer.apple.com',
    'developer.amazon.com',
    'developer.android.com',
    'learn.microsoft.com',
    'platform.openai.com',
  ],
  education: ['owl.purdue.edu'],
  'open-online-courses': ['ocw.mit.edu'],
  jobs: ['careers.google.com', 'jobs.apple.com', 'careers.microsoft.com'],
  news: ['news.google.com', 'news.yahoo.com', 'news.sky.com', 'abcnews.go.com'],
  'business-news': ['economictimes.indiatimes.com'],
  'product-reviews-price-comparisons': ['shopping.google.com'],
  sports: ['sports.yahoo.com', 'espn.go.com', 'ftw.usatoday.com', 'mmajunkie.usatoday.com'],
  'american-football': ['profootballtalk.nbcsports.com'],
  'travel-transportation': ['maps.google.com', 'maps.apple.com', 'earth.google.com'],
  reference: ['translate.google.com'],
  science: ['scholar.google.com', 'mathworld.wolfram.com'],
};
