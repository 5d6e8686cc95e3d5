// lint-as: popup/popup-imports-background-folder.ts
import '../background';
