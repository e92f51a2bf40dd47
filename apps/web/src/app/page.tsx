export default function HomePage() {
  return (
    <main>
      <h1>acs-stack</h1>
      <p>Secure Azure Communication Services chat on Next.js.</p>
    </main>
  );
}
