import '../styles.css';

import { render } from 'preact';

import { MarketplacePage } from './marketplace-page.tsx';

render(<MarketplacePage />, document.getElementById('app')!);
