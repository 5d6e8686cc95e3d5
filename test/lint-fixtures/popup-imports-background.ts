// lint-as: popup/popup-imports-background.ts
import { createRouter } from '../background/router.ts';

export const forbidden = createRouter;
