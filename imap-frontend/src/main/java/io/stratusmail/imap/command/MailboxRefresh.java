package io.stratusmail.imap.command;

import io.stratusmail.imap.response.ImapResponse;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SelectedMailbox;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The change detection of NOOP, CHECK, APPEND and IDLE: sends what changed in the selected mailbox since the
 * client last heard ({@code * n EXPUNGE}, {@code * n EXISTS}, {@code * n FETCH (FLAGS ...)}, RFC 3501 section
 * 6.1.2). It first reads the mailbox's HIGHESTMODSEQ (the store's counters, one small read); only when that moved
 * past the last synchronization (every append, flag change and expunge raises it, RFC 7162) is the mailbox
 * re-read. Changes by other sessions and nodes become visible this way; a lost cross-node hint only delays them
 * (architecture invariant: Cassandra stays the truth).
 */
final class MailboxRefresh {

    private MailboxRefresh() {
    }

    /**
     * Refreshes the session's view of its selected mailbox, if any, and queues the responses (not flushed).
     * Completes on the event loop; when the session deselected meanwhile nothing is sent.
     */
    static CompletionStage<Void> refresh(ImapSession session) {
        SelectedMailbox selected = session.selected();
        if (selected == null) {
            return CompletableFuture.completedFuture(null);
        }
        return session.onEventLoop(session.services().messages().counters(selected.mailbox().id()))
                .thenCompose(counters -> {
                    if (session.selected() != selected || counters.highestModSeq() <= selected.syncedModSeq()) {
                        return CompletableFuture.completedFuture(null);
                    }
                    return session.onEventLoop(session.services().messages().snapshot(selected.mailbox()))
                            .thenAccept(snapshot -> {
                                if (session.selected() == selected) {
                                    for (ImapResponse r : selected.synchronize(snapshot)) {
                                        session.send(r);
                                    }
                                }
                            });
                });
    }
}
