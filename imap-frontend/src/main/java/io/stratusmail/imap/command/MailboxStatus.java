package io.stratusmail.imap.command;

import io.stratusmail.imap.response.MailboxStatusResponse;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SelectedMailbox;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.message.MailboxCounters;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Computes the STATUS data of one mailbox (RFC 3501 section 6.3.10) from {@code MessageStore.counters}: one
 * read of the mailbox's exact counters, whatever the items and however many messages it holds.
 *
 * <p>RECENT: {@code \Recent} is claimed per session (RFC 3501 section 2.3.2). For the mailbox selected in this
 * session it is the session's own count; for any other mailbox the store offers no way to count the unclaimed
 * messages without claiming them, which STATUS must not do, so it is reported as 0 (RFC 9051 removed RECENT).
 */
final class MailboxStatus {

    private MailboxStatus() {
    }

    /** The {@code * STATUS} response for {@code mailbox} with {@code items} in their order; completes on the event loop. */
    static CompletionStage<MailboxStatusResponse> of(ImapSession session, Mailbox mailbox, Set<StatusItem> items) {
        return session.onEventLoop(session.services().messages().counters(mailbox.id()))
                .thenApply(counters -> response(session, mailbox, items, counters));
    }

    private static long recent(ImapSession session, Mailbox mailbox) {
        SelectedMailbox selected = session.selected();
        return selected != null && selected.mailbox().id().equals(mailbox.id()) ? selected.recentCount() : 0;
    }

    private static MailboxStatusResponse response(ImapSession session, Mailbox mailbox, Set<StatusItem> items,
                                                  MailboxCounters counters) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (StatusItem item : items) {
            values.put(item.name(), switch (item) {
                case MESSAGES -> counters.messages();
                case RECENT -> recent(session, mailbox);
                case UIDNEXT -> counters.uidNext();
                case UIDVALIDITY -> mailbox.uidValidity();
                case UNSEEN -> counters.unseen();
                case HIGHESTMODSEQ -> counters.highestModSeq();
                case SIZE -> counters.size();
                case APPENDLIMIT -> (long) session.config().maxLiteralSize();
            });
        }
        return new MailboxStatusResponse(mailbox.name().value(), values);
    }
}
