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
 * <p>RECENT (RFC 3501 section 2.3.2): for a mailbox this session has not selected, the messages no session has
 * claimed {@code \Recent} of yet ({@code MessageStore.unclaimedRecent}, which claims nothing, so the next SELECT
 * still gets them).
 *
 * <p>The mailbox selected in this session (RFC 3501 section 6.3.10 advises against it, but it must work): the
 * view is refreshed first, which sends the pending {@code * n EXISTS}, {@code * n EXPUNGE}, {@code * n RECENT} and
 * {@code * n FETCH} responses, and MESSAGES, RECENT, UNSEEN, UIDNEXT and HIGHESTMODSEQ then come from the view,
 * so they agree with what the client has been told (SIZE, which the view does not keep, from the counters).
 */
final class MailboxStatus {

    private MailboxStatus() {
    }

    /** The {@code * STATUS} response for {@code mailbox} with {@code items} in their order; completes on the event loop. */
    static CompletionStage<MailboxStatusResponse> of(ImapSession session, Mailbox mailbox, Set<StatusItem> items) {
        SelectedMailbox selected = session.selected();
        if (selected != null && !selected.detached() && selected.mailbox().id().equals(mailbox.id())) {
            return MailboxRefresh.refresh(session).thenCompose(v -> counters(session, mailbox))
                    .thenApply(counters -> response(session, mailbox, items, counters, selected.recentCount(),
                            selected));
        }
        if (!items.contains(StatusItem.RECENT)) {
            return counters(session, mailbox).thenApply(counters -> response(session, mailbox, items, counters, 0,
                    null));
        }
        return counters(session, mailbox).thenCompose(counters -> session.onEventLoop(
                        session.services().messages().unclaimedRecent(mailbox.id()))
                .thenApply(recent -> response(session, mailbox, items, counters, recent, null)));
    }

    private static CompletionStage<MailboxCounters> counters(ImapSession session, Mailbox mailbox) {
        return session.onEventLoop(session.services().messages().counters(mailbox.id()));
    }

    /** @param view the session's view of the mailbox when it is the selected one, else null */
    private static MailboxStatusResponse response(ImapSession session, Mailbox mailbox, Set<StatusItem> items,
                                                  MailboxCounters counters, long recent, SelectedMailbox view) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (StatusItem item : items) {
            values.put(item.name(), switch (item) {
                case MESSAGES -> view != null ? view.exists() : counters.messages();
                case RECENT -> recent;
                case UIDNEXT -> view != null ? view.uidNext() : counters.uidNext();
                case UIDVALIDITY -> mailbox.uidValidity();
                case UNSEEN -> view != null ? view.unseenCount() : counters.unseen();
                case HIGHESTMODSEQ -> view != null ? view.highestModSeq() : counters.highestModSeq();
                case SIZE -> counters.size();
                case APPENDLIMIT -> (long) session.config().maxLiteralSize();
            });
        }
        return new MailboxStatusResponse(mailbox.name().value(), values);
    }
}
