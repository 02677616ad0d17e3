import { SITE_PROXIES, SITE_USERS, TIME_ZONES } from "./site-data.js";

/** A user with the keys of the User Management API's User (catalogue §5.2). Dates are ms on the site clock. */
export interface SiteUser {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  isActive: boolean;
  isLocked: boolean;
  userTimeZoneId: string;
  groups: number[];
  federationId?: string;
  createdDate: number;
  createdBy: number;
  modifiedDate: number;
  modifiedBy: number;
}

/** The site's users and proxy assignments, shared by the Data API (`As-User`, user fields) and User Management. */
export interface UserStore {
  /** Every user, in id order. */
  all(): SiteUser[];
  get(id: number): SiteUser | undefined;
  byEmail(email: string): SiteUser | undefined;
  /** Adds a user with the next free id. */
  add(
    user: Omit<SiteUser, "id" | "createdDate" | "modifiedDate" | "isLocked"> & { isLocked?: boolean },
    at: number,
  ): SiteUser;
  remove(id: number): boolean;
  /** Whether `proxyUserId` may act `As-User` for `principalId` (DealCloud proxy assignments). */
  canActAs(proxyUserId: number, principalId: number): boolean;
  /** The principals of a proxy user. */
  principalsOf(proxyUserId: number): number[];
  /** Replaces a proxy user's principals (DealCloud docs: the call replaces the existing ones). */
  setPrincipals(proxyUserId: number, principals: readonly number[]): void;
  /** Proxy users with at least one principal. */
  proxyUsers(): number[];
  /** The IANA time zone of a user, for `dateTimeBehavior=1` (UTC when unknown). */
  timeZoneOf(id: number | undefined): string;
  /** The user's display name, `First Last`. */
  nameOf(user: SiteUser): string;
  reset(): void;
}

/** A fixed creation date for the seeded users (the catalogue's recorded sample shows 2019 dates). */
const SEEDED_AT = Date.UTC(2019, 2, 28, 18, 43, 27);

export function createUserStore(): UserStore {
  let users = new Map<number, SiteUser>();
  let proxies = new Map<number, number[]>();
  let nextId = 0;

  function seed() {
    users = new Map(
      SITE_USERS.map((user) => [
        user.id,
        {
          ...user,
          groups: [...user.groups],
          isLocked: false,
          createdDate: SEEDED_AT,
          createdBy: 106,
          modifiedDate: SEEDED_AT,
          modifiedBy: 106,
        },
      ]),
    );
    proxies = new Map(Object.entries(SITE_PROXIES).map(([proxy, principals]) => [Number(proxy), [...principals]]));
    nextId = Math.max(...users.keys()) + 1;
  }
  seed();

  return {
    all: () => [...users.values()].sort((a, b) => a.id - b.id),
    get: (id) => users.get(id),
    byEmail: (email) => [...users.values()].find((user) => user.email.toLowerCase() === email.toLowerCase()),
    add(user, at) {
      const created: SiteUser = { isLocked: false, ...user, id: nextId++, createdDate: at, modifiedDate: at };
      users.set(created.id, created);
      return created;
    },
    remove(id) {
      proxies.delete(id);
      for (const [proxy, principals] of proxies)
        proxies.set(
          proxy,
          principals.filter((principal) => principal !== id),
        );
      return users.delete(id);
    },
    canActAs: (proxyUserId, principalId) =>
      proxyUserId === principalId || (proxies.get(proxyUserId) ?? []).includes(principalId),
    principalsOf: (proxyUserId) => [...(proxies.get(proxyUserId) ?? [])],
    setPrincipals(proxyUserId, principals) {
      proxies.set(proxyUserId, [...new Set(principals)]);
    },
    proxyUsers: () => [...proxies.entries()].filter(([, principals]) => principals.length > 0).map(([proxy]) => proxy),
    timeZoneOf(id) {
      const user = id === undefined ? undefined : users.get(id);
      return (user && TIME_ZONES[user.userTimeZoneId]) ?? "UTC";
    },
    nameOf: (user) => `${user.firstName} ${user.lastName}`.trim(),
    reset: seed,
  };
}
