import { avatarColour, initialsOf } from "~/lib/avatar";

/** Decoration only: the name is always written next to it, so screen readers skip the initials. */
export function Avatar({ acsUserId, name }: { acsUserId: string | undefined; name: string }) {
  return (
    <span
      className="avatar"
      aria-hidden="true"
      style={{ backgroundColor: avatarColour(acsUserId ?? name) }}
    >
      {initialsOf(name)}
    </span>
  );
}
