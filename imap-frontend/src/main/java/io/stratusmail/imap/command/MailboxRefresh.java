package io.stratusmail.imap.command;

import io.stratusmail.imap.response.ImapResponse;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SelectedMailbox;
import io.stratusmail.mailbox.message.MailboxChanges;
import io.stratusmail.mailbox.message.MessageStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The change detection of NOOP, CHECK, APPEND, COPY, MOVE, EXPUNGE and IDLE: sends what changed in the selected
 * mailbox since the client last heard ({@code * n EXPUNGE} or {@code * VANISHED}, {@code * n EXISTS},
 * {@code * n RECENT}, {@code * n FETCH (FLAGS ...)}, RFC 3501 section 6.1.2, RFC 7162 section 3.2.10).
 *
 * <p>Incremental: it first reads the mailbox's HIGHESTMODSEQ (the store's counters, one small read); only when
 * that moved past the view's last synchronization (every append, flag change and expunge raises it, RFC 7162)
 * does it read {@link MessageStore#changesSince} of that MODSEQ, never the whole mailbox, except when the store's
 * expunge log no longer reaches back that far ({@link MailboxChanges#vanishedComplete()} false): then one
 * snapshot is compared with the view. When new messages appeared in a mailbox opened with SELECT, their
 * {@code \Recent} flags are claimed for this session ({@link MessageStore#claimRecent}; EXAMINE never claims,
 * RFC 3501 section 6.3.2). Changes by other sessions and nodes become visible this way; a lost cross-node hint
 * only delays them (architecture invariant: Cassandra stays the truth).
 */
final class MailboxRefresh {

    private MailboxRefresh() {
    }

    /** {@link #refresh(ImapSession, boolean)} where expunges may be reported. */
    static CompletionStage<Void> refresh(ImapSession session) {
        return refresh(session, true);
    }

    /**
     * Refreshes the session's view of its selected mailbox, if any, and queues the responses (not flushed).
     * Completes on the event loop; when the session deselected meanwhile nothing is sent.
     *
     * @param allowExpunge false where RFC 3501 section 7.4.1 forbids EXPUNGE (after FETCH, STORE, SEARCH): the
     *                     expunges learnt then wait in the view for the next refresh that may send them
     */
    static CompletionStage<Void> refresh(ImapSession session, boolean allowExpunge) {
        SelectedMailbox selected = session.selected();
        if (selected == null || selected.detached()) {
            return CompletableFuture.completedFuture(null);
        }
        MessageStore store = session.services().messages();
        return session.onEventLoop(store.counters(selected.mailbox().id())).thenCompose(counters -> {
            if (session.selected() != selected) {
                return CompletableFuture.completedFuture(null);
            }
            if (counters.highestModSeq() <= selected.syncedModSeq()) {
                if (allowExpunge && selected.hasPendingExpunges()) {
                    send(session, selected, new MailboxChanges(selected.uidNext(), selected.syncedModSeq(),
                            List.of(), List.of(), true), true);
                }
                return CompletableFuture.completedFuture(null);
            }
            return changes(session, selected)
                    .thenCompose(changes -> claimRecent(session, selected, changes))
                    .thenAccept(changes -> {
                        if (session.selected() == selected) {
                            send(session, selected, changes, allowExpunge);
                        }
                    });
        });
    }

    /** The changes since the view's MODSEQ, from the expunge log or, when it is incomplete, from a snapshot. */
    private static CompletionStage<MailboxChanges> changes(ImapSession session, SelectedMailbox selected) {
        MessageStore store = session.services().messages();
        return session.onEventLoop(store.changesSince(selected.mailbox().id(), selected.syncedModSeq()))
                .thenCompose(changes -> changes.vanishedComplete() || session.selected() != selected
                        ? CompletableFuture.completedFuture(changes)
                        : session.onEventLoop(store.snapshot(selected.mailbox())).thenApply(selected::diff));
    }

    private static CompletionStage<MailboxChanges> claimRecent(ImapSession session, SelectedMailbox selected,
                                                               MailboxChanges changes) {
        if (selected.readOnly() || session.selected() != selected || !selected.hasNewMessages(changes)) {
            return CompletableFuture.completedFuture(changes);
        }
        return session.onEventLoop(session.services().messages().claimRecent(selected.mailbox().id()))
                .thenApply(range -> {
                    selected.addRecent(range);
                    return changes;
                });
    }

    private static void send(ImapSession session, SelectedMailbox selected, MailboxChanges changes,
                             boolean allowExpunge) {
        for (ImapResponse r : selected.apply(changes, allowExpunge, session.condstoreEnabled(),
                session.qresyncEnabled())) {
            session.send(r);
        }
    }
}
