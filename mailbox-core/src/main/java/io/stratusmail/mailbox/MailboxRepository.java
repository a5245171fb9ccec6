package io.stratusmail.mailbox;

import io.stratusmail.mailbox.user.Username;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Registry of mailboxes per user: the hierarchy (delimiter {@value MailboxName#DELIMITER}), UIDVALIDITY,
 * special use (RFC 6154) and subscriptions. Every method completes once the change is durable; a failed change
 * changed nothing. A name is a selectable mailbox or a {@code \Noselect} placeholder that only holds inferior
 * names (implied superior names, mailboxes deleted while they had children). Each user has at most
 * {@link io.stratusmail.mailbox.registry.MailboxTree#DEFAULT_MAX_NAMES} names and as many subscriptions (a
 * store may be configured lower); going beyond fails with {@link MailboxLimitException}.
 */
public interface MailboxRepository {

    /**
     * Creates a mailbox without special use: {@code create(owner, name, Set.of())}.
     */
    default CompletionStage<Mailbox> create(Username owner, MailboxName name) {
        return create(owner, name, Set.of());
    }

    /**
     * CREATE (RFC 3501 section 6.3.3), with {@code USE} attributes (RFC 6154 section 3, CREATE-SPECIAL-USE).
     * The new mailbox gets a new id and a fresh UIDVALIDITY, never used before by any mailbox of the user (also
     * not by a deleted mailbox of the same name). Missing superior names are created as {@code \Noselect}
     * placeholders ({@code a/b/c} creates {@code a} and {@code a/b}). Creating the name of a placeholder makes it
     * a selectable mailbox (its inferior names stay). A CREATE argument with a trailing delimiter is turned into
     * a name by {@link MailboxName#forCreate}.
     *
     * <p>Fails with {@link MailboxExistsException} when a mailbox of that name exists (INBOX always does once the
     * user is provisioned), {@link MailboxLimitException} beyond the limit of names,
     * {@link StorageUnavailableException} when the store cannot commit.
     *
     * @return the new mailbox
     */
    CompletionStage<Mailbox> create(Username owner, MailboxName name, Set<SpecialUse> specialUse);

    /**
     * DELETE (RFC 3501 section 6.3.4). A mailbox without inferior names is removed; a mailbox with inferior names
     * becomes a {@code \Noselect} placeholder (they stay); a placeholder without inferior names is removed. The
     * messages of a deleted mailbox are unreachable at once (its id is gone from the registry; the store reclaims
     * their space later); a name created again gets a new UIDVALIDITY.
     *
     * <p>Fails with {@link MailboxNotFoundException} ({@code NO [NONEXISTENT]}) for an unknown name,
     * {@link InvalidMailboxOperationException} ({@code NO [CANNOT]}) for INBOX,
     * {@link MailboxHasChildrenException} ({@code NO [HASCHILDREN]}) for a placeholder with inferior names.
     *
     * @return the mailbox whose messages were removed; empty when a placeholder was removed
     */
    CompletionStage<Optional<Mailbox>> delete(Username owner, MailboxName name);

    /**
     * RENAME (RFC 3501 section 6.3.5): the name and all its inferior names move at once, keeping their ids,
     * UIDVALIDITY and special use (no message moves); missing superior names of the target become placeholders;
     * subscriptions of moved names move with them. RENAME of INBOX moves every INBOX message to the target (which
     * takes over INBOX's id and UIDVALIDITY) and leaves a new, empty INBOX with a new id and UIDVALIDITY; names
     * below INBOX do not move.
     *
     * <p>Fails with {@link MailboxNotFoundException} when {@code from} does not exist, {@link MailboxExistsException}
     * when {@code to} (or the new name of an inferior name) exists, {@link InvalidMailboxOperationException}
     * ({@code NO [CANNOT]}) when {@code to} is below {@code from}, {@link IllegalArgumentException} when a moved
     * inferior name would break a {@link MailboxName} limit, {@link MailboxLimitException} beyond the limit of
     * names. Nothing is changed on failure.
     */
    CompletionStage<Void> rename(Username owner, MailboxName from, MailboxName to);

    /** Looks a mailbox up by name. */
    CompletionStage<Optional<Mailbox>> find(Username owner, MailboxName name);

    /** All mailboxes of the user, sorted by name. */
    CompletionStage<List<Mailbox>> list(Username owner);

    /** Returns the user's INBOX, creating it when missing (safe when several nodes race). */
    CompletionStage<Mailbox> ensureInbox(Username owner);

    /**
     * The mailbox with that id, whatever its current name (ids survive RENAME); empty when it was deleted. Reads
     * the user's whole registry: for QRESYNC and consistency checks, not per message.
     */
    CompletionStage<Optional<Mailbox>> findById(Username owner, MailboxId id);

    /**
     * Every name of the user with what LIST needs (RFC 3501 section 6.3.8, RFC 3348 {@code \HasChildren}, RFC
     * 6154, RFC 5258 {@code \Subscribed}), sorted by name: selectable mailboxes and {@code \Noselect}
     * placeholders. Subscribed names that do not exist are only in {@link #subscriptions}.
     */
    CompletionStage<List<MailboxListing>> listWithAttributes(Username owner);

    /**
     * Makes a new account usable, idempotently (safe when several nodes race: every caller gets the same
     * mailboxes): creates INBOX when missing and, the first time, the default mailboxes Sent ({@code \Sent}),
     * Drafts ({@code \Drafts}), Trash ({@code \Trash}), Junk ({@code \Junk}) and Archive ({@code \Archive})
     * (RFC 6154). A default is skipped when another mailbox already has its special use; an existing mailbox of
     * that name without special use gets it. Defaults the user deletes later are not created again. The mailboxes
     * it creates or gives a special use are also subscribed (RFC 3501 section 6.3.6), since clients such as Thunderbird show only
     * subscribed mailboxes by default.
     *
     * @return the INBOX
     */
    CompletionStage<Mailbox> provision(Username owner);

    /**
     * SUBSCRIBE (RFC 3501 section 6.3.6): adds the name to the user's subscriptions (LSUB, section 6.3.9). The
     * name need not be a mailbox. Idempotent. Fails with {@link MailboxLimitException} beyond the limit.
     */
    CompletionStage<Void> subscribe(Username owner, MailboxName name);

    /** UNSUBSCRIBE (RFC 3501 section 6.3.7): removes the name from the subscriptions. Idempotent. */
    CompletionStage<Void> unsubscribe(Username owner, MailboxName name);

    /** The user's subscribed names (RFC 3501 section 6.3.9 LSUB), sorted; they need not exist as mailboxes. */
    CompletionStage<List<MailboxName>> subscriptions(Username owner);
}
