// The drill-down talks to the API from the browser.
export const ssr = false;
