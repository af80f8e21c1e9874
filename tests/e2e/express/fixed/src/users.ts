// The users' profiles, read and written by the profile routes of the `body-id` variants.
import { db } from "./db.js";
import type { User } from "./db.js";

export async function findById(id: string): Promise<User | undefined> {
  return db.users.get(id);
}

export async function save(user: User): Promise<void> {
  db.users.set(user.id, user);
}
