// The admin console's entry: renders the app into #app.
import { render } from 'preact';

function App() {
  return <h1>API tokens</h1>;
}

render(<App />, document.getElementById('app')!);
