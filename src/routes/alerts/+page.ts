// The alerts console is a live client: nothing useful can be rendered on the server.
export const ssr = false;
