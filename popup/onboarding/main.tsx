import { render } from 'preact';

import '../styles.css';
import { OnboardingApp } from './onboarding-app.tsx';

document.title = 'Crowdsell';
const root = document.getElementById('app');
if (root) render(<OnboardingApp />, root);
