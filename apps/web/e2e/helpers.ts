import { expect, type Page } from "@playwright/test";

let counter = 0;
/** A unique person per test run (the database lives for the whole run). */
export function newPerson(name: string) {
  counter += 1;
  const id = `${Date.now().toString(36)}${counter}`;
  return { name: `${name} ${id}`, email: `${name.toLowerCase()}.${id}@example.test`, password: `pass phrase ${id} ok` };
}
export type Person = ReturnType<typeof newPerson>;

export async function signUp(page: Page, person: Person) {
  await page.goto("/");
  const form = page.getByRole("form", { name: "Create account" });
  await form.getByLabel("Email").fill(person.email);
  await form.getByLabel("Password").fill(person.password);
  await form.getByLabel("Display name").fill(person.name);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/chat$/);
}

export async function signIn(page: Page, person: Pick<Person, "email" | "password">) {
  await page.goto("/");
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Email").fill(person.email);
  await form.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
