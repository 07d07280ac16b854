// How numbers, dates and verdicts read on the page: English, UTC (the server's tallies are per UTC day).
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";

const npsFormat = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });
const boundFormat = new Intl.NumberFormat("en", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const countFormat = new Intl.NumberFormat("en");
const percentFormat = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });

/** An NPS as people quote it: "20", "33.3", "-5". */
export const nps = (value: number): string => npsFormat.format(value);

/** A confidence bound, always with one decimal, so "14.9 to 25.0" lines up. */
export const bound = (value: number): string => boundFormat.format(value);

export const count = (value: bigint | number): string => countFormat.format(value);

/** "45 %": a no-break space keeps the sign with its number when the line wraps. */
export const percent = (value: number): string => `${percentFormat.format(value)}\u00a0%`;

/** "1 response", "1,000 responses". */
export const plural = (value: bigint | number, noun: string): string =>
  `${count(value)} ${noun}${BigInt(value) === 1n ? "" : "s"}`;

/** The status name as gRPC writes it: INVALID_ARGUMENT rather than connect-es's InvalidArgument. */
export const statusName = (code: Code): string => Code[code].replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();

const dayFormat = new Intl.DateTimeFormat("en", { day: "numeric", month: "short", timeZone: "UTC" });
const monthFormat = new Intl.DateTimeFormat("en", { month: "short", year: "numeric", timeZone: "UTC" });
const timeFormat = new Intl.DateTimeFormat("en", { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false, timeZone: "UTC" });

/** 2026-12-07 */
export const isoDay = (date: Date): string => date.toISOString().slice(0, 10);

/** "7 Dec" */
export const shortDay = (date: Date): string => dayFormat.format(date);

/** "Dec 2026" */
export const month = (date: Date): string => monthFormat.format(date);

/** "14:03:07 UTC" */
export const clock = (timestamp: Timestamp | undefined): string =>
  `${timeFormat.format(timestamp ? timestampDate(timestamp) : new Date())} UTC`;
