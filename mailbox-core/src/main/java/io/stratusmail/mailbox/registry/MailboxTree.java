package io.stratusmail.mailbox.registry;

import io.stratusmail.mailbox.InvalidMailboxOperationException;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxExistsException;
import io.stratusmail.mailbox.MailboxHasChildrenException;
import io.stratusmail.mailbox.MailboxId;
import io.stratusmail.mailbox.MailboxLimitException;
import io.stratusmail.mailbox.MailboxListing;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.MailboxNotFoundException;
import io.stratusmail.mailbox.SpecialUse;
import io.stratusmail.mailbox.user.Username;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An immutable snapshot of one user's mailbox registry, and the planner of every change to it: CREATE, DELETE,
 * RENAME (RFC 3501 sections 6.3.3 to 6.3.5), special use (RFC 6154) and provisioning. Each planning method
 * checks the request against the snapshot and returns the {@link RegistryChange} that carries it out, or throws
 * without any effect. Both stores share these rules: the in-memory fake applies a change under its lock, the
 * Cassandra store writes it in one conditional batch that fails if the snapshot is no longer current.
 *
 * <p>The hierarchy is kept closed: every superior name of a stored name exists, as a mailbox or as a
 * {@code \Noselect} placeholder. CREATE and RENAME add placeholders for missing superior names; a superior name
 * missing from older data is shown as a placeholder too.
 *
 * <p>UIDVALIDITY (RFC 3501 section 2.3.1.1): a new mailbox takes {@code max(last + 1, now in epoch seconds)} from
 * the user's counter, so values are distinct per user, never reused by a deleted and re-created name, non-zero,
 * and fit 32 bits until the year 2106.
 */
public final class MailboxTree {

    /** Largest UIDVALIDITY (unsigned 32 bits). */
    public static final long MAX_UID_VALIDITY = 0xFFFF_FFFFL;
    /** Default limit of names (mailboxes and placeholders) per user. */
    public static final int DEFAULT_MAX_NAMES = 10_000;
    /** The mailboxes {@link #provision} creates next to INBOX, with their special use (RFC 6154). */
    public static final Map<MailboxName, SpecialUse> DEFAULT_MAILBOXES = defaults();

    private final Username owner;
    /** Entries that exist as rows, by name value (String order equals {@link MailboxName} order). */
    private final TreeMap<String, RegistryEntry> stored;
    /** {@link #stored} plus a placeholder for each missing superior name. */
    private final TreeMap<String, RegistryEntry> view;
    private final long lastUidValidity;
    private final boolean provisioned;
    private final int maxNames;

    /**
     * @param owner           the user
     * @param entries         the stored entries (distinct names)
     * @param lastUidValidity the user's UIDVALIDITY counter (0 when none was allocated)
     * @param provisioned     whether {@link #provision} already ran once for the user
     * @param maxNames        most names (mailboxes and placeholders) the user may have
     */
    public MailboxTree(Username owner, Collection<RegistryEntry> entries, long lastUidValidity, boolean provisioned,
                       int maxNames) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.stored = new TreeMap<>();
        for (RegistryEntry e : entries) {
            if (stored.put(e.name().value(), e) != null) {
                throw new IllegalArgumentException("duplicate entry " + e.name());
            }
        }
        this.view = new TreeMap<>(stored);
        for (RegistryEntry e : entries) {
            for (MailboxName a : e.name().ancestors()) {
                view.putIfAbsent(a.value(), RegistryEntry.placeholder(a));
            }
        }
        if (lastUidValidity < 0 || maxNames < 1) {
            throw new IllegalArgumentException("bad counter or limit");
        }
        this.lastUidValidity = lastUidValidity;
        this.provisioned = provisioned;
        this.maxNames = maxNames;
    }

    /** An empty registry with the default limit. */
    public static MailboxTree empty(Username owner) {
        return new MailboxTree(owner, List.of(), 0, false, DEFAULT_MAX_NAMES);
    }

    public Username owner() {
        return owner;
    }

    public long lastUidValidity() {
        return lastUidValidity;
    }

    public boolean provisioned() {
        return provisioned;
    }

    /** The selectable mailbox of that name. */
    public Optional<Mailbox> find(MailboxName name) {
        return Optional.ofNullable(view.get(name.value())).filter(e -> !e.isPlaceholder()).map(e -> e.toMailbox(owner));
    }

    /** The mailbox with that id, wherever it is in the hierarchy. Linear in the number of names. */
    public Optional<Mailbox> findById(MailboxId id) {
        return stored.values().stream().filter(e -> id.equals(e.id())).findFirst().map(e -> e.toMailbox(owner));
    }

    /** Every selectable mailbox, sorted by name. */
    public List<Mailbox> mailboxes() {
        return view.values().stream().filter(e -> !e.isPlaceholder()).map(e -> e.toMailbox(owner)).toList();
    }

    /** Every name with its LIST attributes, sorted by name; {@code subscriptions} marks {@code \Subscribed}. */
    public List<MailboxListing> listing(Collection<MailboxName> subscriptions) {
        Set<MailboxName> subscribed = new HashSet<>(subscriptions);
        List<MailboxListing> out = new ArrayList<>(view.size());
        for (RegistryEntry e : view.values()) {
            out.add(new MailboxListing(e.name(),
                    e.isPlaceholder() ? Optional.empty() : Optional.of(e.toMailbox(owner)),
                    hasChildren(e.name()), e.specialUse(), subscribed.contains(e.name())));
        }
        return out;
    }

    /** Whether any name is below {@code name}. */
    public boolean hasChildren(MailboxName name) {
        return !descendants(name).isEmpty();
    }

    /** Names strictly below {@code name}, in order: the keys from {@code name/} up to (excluding) {@code name0}. */
    private Collection<RegistryEntry> descendants(MailboxName name) {
        String v = name.value();
        return view.subMap(v + MailboxName.DELIMITER, true, v + (char) (MailboxName.DELIMITER + 1), false).values();
    }

    /**
     * Plans CREATE (RFC 3501 section 6.3.3, RFC 6154 section 3 for {@code USE}). Missing superior names are
     * created as {@code \Noselect} placeholders; creating the name of a placeholder makes it a selectable mailbox
     * with a new id and a new UIDVALIDITY (its inferior names stay).
     *
     * @throws MailboxExistsException when a selectable mailbox has that name (also INBOX, which always exists
     *                                once provisioned)
     * @throws MailboxLimitException  when the user would have more than the limit of names
     */
    public RegistryChange create(MailboxName name, Set<SpecialUse> specialUse, Instant now) {
        RegistryEntry existing = view.get(name.value());
        if (existing != null && !existing.isPlaceholder()) {
            throw new MailboxExistsException(name);
        }
        Plan plan = new Plan(now);
        Mailbox created = plan.newMailbox(name, specialUse);
        plan.addMissingSuperiors(name);
        return plan.done(Optional.of(created));
    }

    /**
     * Plans DELETE (RFC 3501 section 6.3.4). A mailbox without inferior names is removed; a mailbox with
     * inferior names becomes a {@code \Noselect} placeholder; a placeholder without inferior names is removed.
     * In both first cases the mailbox's messages become unreachable ({@link RegistryChange#removedMailbox}).
     *
     * @throws MailboxNotFoundException        when no such name exists
     * @throws InvalidMailboxOperationException for INBOX
     * @throws MailboxHasChildrenException     for a placeholder that has inferior names
     */
    public RegistryChange delete(MailboxName name) {
        RegistryEntry existing = view.get(name.value());
        if (existing == null) {
            throw new MailboxNotFoundException(name);
        }
        if (name.isInbox()) {
            throw new InvalidMailboxOperationException("INBOX cannot be deleted");
        }
        boolean children = hasChildren(name);
        if (existing.isPlaceholder() && children) {
            throw new MailboxHasChildrenException(name);
        }
        Plan plan = new Plan(Instant.EPOCH);
        if (children) {
            plan.put(RegistryEntry.placeholder(name));
        } else {
            plan.remove(name);
        }
        Optional<Mailbox> removed = existing.isPlaceholder() ? Optional.empty()
                : Optional.of(existing.toMailbox(owner));
        return plan.done(Optional.empty(), removed, Map.of());
    }

    /**
     * Plans RENAME (RFC 3501 section 6.3.5). The name and every inferior name move; ids, UIDVALIDITY and special
     * use stay, so no message moves. Missing superior names of the target become placeholders. RENAME of INBOX is
     * the RFC's special case: the target takes INBOX's id and UIDVALIDITY (so every INBOX message is now in the
     * target) and a new, empty INBOX gets a new id and UIDVALIDITY; names below INBOX do not move.
     *
     * @throws MailboxNotFoundException        when {@code from} does not exist (or is a placeholder INBOX)
     * @throws MailboxExistsException          when {@code to}, or a name an inferior name would move to, exists
     * @throws InvalidMailboxOperationException when {@code to} is below {@code from} (except for INBOX)
     * @throws IllegalArgumentException        when a moved inferior name would break a name limit
     * @throws MailboxLimitException           when the new superior names exceed the limit of names
     */
    public RegistryChange rename(MailboxName from, MailboxName to, Instant now) {
        RegistryEntry source = view.get(from.value());
        if (source == null || (from.isInbox() && source.isPlaceholder())) {
            throw new MailboxNotFoundException(from);
        }
        if (view.containsKey(to.value())) {
            throw new MailboxExistsException(to);
        }
        Plan plan = new Plan(now);
        Map<MailboxName, MailboxName> renamed = new LinkedHashMap<>();
        if (from.isInbox()) {
            plan.put(source.renamed(to));
            plan.newMailbox(MailboxName.INBOX, Set.of());
        } else {
            if (to.isDescendantOf(from)) {
                throw new InvalidMailboxOperationException("cannot rename " + from + " into its own hierarchy " + to);
            }
            List<RegistryEntry> moving = new ArrayList<>();
            moving.add(source);
            moving.addAll(descendants(from));
            for (RegistryEntry e : moving) {
                MailboxName target = e.name().rebase(from, to);
                if (view.containsKey(target.value())) {
                    throw new MailboxExistsException(target);
                }
                renamed.put(e.name(), target);
            }
            for (RegistryEntry e : moving) {
                if (stored.containsKey(e.name().value())) {
                    plan.remove(e.name());
                }
                plan.put(e.renamed(renamed.get(e.name())));
            }
        }
        plan.addMissingSuperiors(to);
        Optional<Mailbox> result = source.isPlaceholder() ? Optional.empty()
                : Optional.of(source.renamed(to).toMailbox(owner));
        return plan.done(result, Optional.empty(), renamed);
    }

    /** Plans the creation of INBOX when it is not a selectable mailbox; empty when it is. */
    public RegistryChange ensureInbox(Instant now) {
        Plan plan = new Plan(now);
        return plan.done(Optional.of(plan.inbox()));
    }

    /**
     * Plans provisioning: INBOX as {@link #ensureInbox}, and, the first time only, the
     * {@link #DEFAULT_MAILBOXES}: a default is created when no mailbox has its special use yet and its name is
     * free; a mailbox of that name without special use gets the attribute. Later calls only ensure INBOX, so a
     * default the user deleted is not created again. "The first time" is when the registry is not marked
     * provisioned or has no INBOX: INBOX cannot be deleted, so a missing INBOX means the account's mail was
     * wiped (or never provisioned) and it starts again with the defaults.
     */
    public RegistryChange provision(Instant now) {
        Plan plan = new Plan(now);
        boolean inboxMissing = find(MailboxName.INBOX).isEmpty();
        Mailbox inbox = plan.inbox();
        if (!provisioned || inboxMissing) {
            Set<SpecialUse> taken = new HashSet<>();
            stored.values().forEach(e -> taken.addAll(e.specialUse()));
            DEFAULT_MAILBOXES.forEach((name, use) -> {
                if (taken.contains(use)) {
                    return;
                }
                RegistryEntry existing = view.get(name.value());
                if (existing == null) {
                    plan.newMailbox(name, Set.of(use));
                } else if (!existing.isPlaceholder() && existing.specialUse().isEmpty()) {
                    plan.put(new RegistryEntry(name, existing.id(), existing.uidValidity(), Set.of(use)));
                }
            });
            plan.provisioned = true;
        }
        return plan.done(Optional.of(inbox));
    }

    /** The registry after the change (for stores that keep the tree itself). */
    public MailboxTree apply(RegistryChange change) {
        TreeMap<String, RegistryEntry> next = new TreeMap<>(stored);
        change.removals().forEach(n -> next.remove(n.value()));
        change.puts().forEach(e -> next.put(e.name().value(), e));
        return new MailboxTree(owner, next.values(), change.lastUidValidity(), change.provisioned(), maxNames);
    }

    private static Map<MailboxName, SpecialUse> defaults() {
        Map<MailboxName, SpecialUse> m = new LinkedHashMap<>();
        m.put(new MailboxName("Sent"), SpecialUse.SENT);
        m.put(new MailboxName("Drafts"), SpecialUse.DRAFTS);
        m.put(new MailboxName("Trash"), SpecialUse.TRASH);
        m.put(new MailboxName("Junk"), SpecialUse.JUNK);
        m.put(new MailboxName("Archive"), SpecialUse.ARCHIVE);
        return Collections.unmodifiableMap(m);
    }

    /** Writes being planned, with the UIDVALIDITY allocation. */
    private final class Plan {
        private final Instant now;
        private final Map<String, RegistryEntry> puts = new LinkedHashMap<>();
        private final Map<String, MailboxName> removals = new LinkedHashMap<>();
        private long last = lastUidValidity;
        private boolean provisioned = MailboxTree.this.provisioned;

        Plan(Instant now) {
            this.now = now;
        }

        Mailbox newMailbox(MailboxName name, Set<SpecialUse> specialUse) {
            long uidValidity = Math.max(last + 1, now.getEpochSecond());
            if (uidValidity > MAX_UID_VALIDITY) {
                throw new IllegalStateException("UIDVALIDITY space of user " + owner + " is exhausted");
            }
            last = uidValidity;
            RegistryEntry e = new RegistryEntry(name, MailboxId.random(), uidValidity, specialUse);
            put(e);
            return e.toMailbox(owner);
        }

        /** INBOX as it is, or planned as a new mailbox when it is not selectable. */
        Mailbox inbox() {
            RegistryEntry existing = view.get(MailboxName.INBOX.value());
            return existing != null && !existing.isPlaceholder() ? existing.toMailbox(owner)
                    : newMailbox(MailboxName.INBOX, Set.of());
        }

        /** Stores a placeholder for each superior name of {@code name} that has no row (yet). */
        void addMissingSuperiors(MailboxName name) {
            for (MailboxName a : name.ancestors()) {
                if (!stored.containsKey(a.value()) && !puts.containsKey(a.value())) {
                    put(RegistryEntry.placeholder(a));
                }
            }
        }

        void put(RegistryEntry e) {
            puts.put(e.name().value(), e);
        }

        void remove(MailboxName name) {
            removals.put(name.value(), name);
        }

        RegistryChange done(Optional<Mailbox> result) {
            return done(result, Optional.empty(), Map.of());
        }

        RegistryChange done(Optional<Mailbox> result, Optional<Mailbox> removed, Map<MailboxName, MailboxName> renamed) {
            long added = puts.keySet().stream().filter(n -> !stored.containsKey(n)).count();
            long dropped = removals.keySet().stream().filter(n -> stored.containsKey(n) && !puts.containsKey(n)).count();
            long size = stored.size() + added - dropped;
            if (size > stored.size() && size > maxNames) {
                throw new MailboxLimitException("user " + owner + " would have " + size + " mailbox names; the limit is "
                        + maxNames);
            }
            boolean empty = puts.isEmpty() && removals.isEmpty() && provisioned == MailboxTree.this.provisioned;
            return new RegistryChange(List.copyOf(puts.values()), List.copyOf(removals.values()), last, provisioned,
                    removed, renamed, result, empty);
        }
    }
}
