export default function AccountPage() {
  return (
    <main>
      <h1>Your ACS identity</h1>
    </main>
  );
}
