// Every page is a live client of the API and the socket: nothing useful is rendered on the
// server. Set once here (not per page) so error pages, such as a 404, render in the browser too
// instead of failing on the server.
export const ssr = false;
