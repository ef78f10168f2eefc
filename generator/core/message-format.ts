/**
 * How user values appear in messages (core/messages*.ts): lists, and short escaped excerpts
 * (core/excerpt.ts) of anything a user wrote. Pure.
 */
import { excerpt } from "./excerpt.js";

/** Items joined with ", ". */
export const list = (items: readonly string[]): string => items.join(", ");
/** A user's value in a message: a short, escaped excerpt (core/excerpt.ts), in double quotes. */
export const quote = (s: string): string => `"${excerpt(s).replace(/"/g, '\\"')}"`;
/** A user's value shown bare (numbers, addresses): the same excerpt without quotes. */
export const bare = (s: string): string => excerpt(s);
