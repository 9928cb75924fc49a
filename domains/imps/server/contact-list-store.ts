// Contact lists (imps.md §5): per owner, with nicknames, DisplayName and the one Default list.
// Pure state; the contact-list handlers turn CSP primitives into calls here.

export interface ContactList {
  id: string;
  owner: string;
  displayName?: string;
  isDefault: boolean;
  /** member UserID -> nickname (Name) or undefined */
  members: Map<string, string | undefined>;
}

export class ContactListStore {
  private readonly byOwner = new Map<string, Map<string, ContactList>>();

  listsOf(owner: string): ContactList[] {
    return [...(this.byOwner.get(owner)?.values() ?? [])];
  }

  get(owner: string, id: string): ContactList | undefined {
    return this.byOwner.get(owner)?.get(id);
  }

  /** Ids of `owner`'s lists that hold `member` (for contact-list attribute grants). */
  listsHolding(owner: string, member: string): string[] {
    return this.listsOf(owner)
      .filter((l) => l.members.has(member))
      .map((l) => l.id);
  }

  /** imps.md §5: the first list of a user becomes the default. */
  create(owner: string, id: string): ContactList | undefined {
    let lists = this.byOwner.get(owner);
    if (lists === undefined) {
      lists = new Map();
      this.byOwner.set(owner, lists);
    }
    if (lists.has(id)) return undefined;
    const list: ContactList = { id, owner, isDefault: lists.size === 0, members: new Map() };
    lists.set(id, list);
    return list;
  }

  /** imps.md §5: deleting the default list promotes another one. */
  delete(owner: string, id: string): ContactList | undefined {
    const lists = this.byOwner.get(owner);
    const list = lists?.get(id);
    if (lists === undefined || list === undefined) return undefined;
    lists.delete(id);
    if (list.isDefault) {
      const next = lists.values().next();
      if (!next.done) next.value.isDefault = true;
    }
    return list;
  }

  /** imps.md §5: exactly one default list per user; setting T clears the others. */
  setDefault(owner: string, id: string, value: boolean): void {
    for (const l of this.listsOf(owner)) {
      if (l.id === id) l.isDefault = value;
      else if (value) l.isDefault = false;
    }
    if (!value && !this.listsOf(owner).some((l) => l.isDefault)) {
      const other = this.listsOf(owner).find((l) => l.id !== id);
      if (other !== undefined) other.isDefault = true;
    }
  }
}
