// Express 4 is installed under the alias `express4` for the adapter's tests
// (devDependency `express4: npm:express@4`); its API is typed like Express 5's.
declare module 'express4' {
  import express from 'express';
  export default express;
}
