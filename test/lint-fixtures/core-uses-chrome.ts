// lint-as: extension/core-uses-chrome.ts
export const forbidden = (): unknown => chrome.runtime;
