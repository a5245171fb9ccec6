package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ContinuationData;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SessionState;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IDLE (RFC 2177): answers {@code + idling}, then, while a mailbox is selected, re-reads it with the change
 * detection of NOOP ({@link MailboxRefresh}) and pushes {@code * n EXISTS}, {@code * n EXPUNGE} and
 * {@code * n FETCH (FLAGS ...)} at once: right after a change hint for the mailbox arrives (from this node or a
 * peer, {@link io.stratusmail.mailbox.event.MailboxEvents}; also at the start of IDLE when one arrived since the
 * last command), and in any case every {@link io.stratusmail.imap.ImapConfig#idlePollInterval()}, so a lost hint
 * only delays an update. Hints arriving while a refresh runs are coalesced into one more refresh after it. The client's {@code DONE} line ends it with {@code tag OK}; any other line with {@code tag BAD}.
 * After {@link io.stratusmail.imap.ImapConfig#idleTimeout()} the server logs the client out ({@code * BYE},
 * RFC 2177 section 3). A poll is skipped while the client does not read (outbound buffer full), and a store
 * failure during a poll only delays the update to the next one.
 */
public record IdleCommand(String tag) implements ImapCommand {

    private static final Logger LOG = LoggerFactory.getLogger(IdleCommand.class);

    static IdleCommand parse(String tag, CommandReader args) throws ParseException {
        args.end();
        return new IdleCommand(tag);
    }

    @Override
    public String name() {
        return "IDLE";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.AUTHENTICATED_OR_SELECTED;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        return new Idling(session).start();
    }

    /** One IDLE: its timers and the poll in flight. Confined to the session's event loop. */
    private final class Idling {
        final ImapSession session;
        final CompletableFuture<StatusResponse> result = new CompletableFuture<>();
        CompletionStage<Void> inFlight = CompletableFuture.completedFuture(null);
        ScheduledFuture<?> poll;
        ScheduledFuture<?> timeout;
        boolean ended;
        boolean refreshing;
        boolean hintedDuringRefresh;

        Idling(ImapSession session) {
            this.session = session;
        }

        CompletionStage<StatusResponse> start() {
            CompletionStage<ContinuationData> line = session.continuation("idling");
            timeout = session.schedule(this::expire, session.config().idleTimeout());
            session.onChangesPending(this::hinted);
            if (session.takeChangesPending()) {
                hinted();
            } else {
                schedulePoll();
            }
            line.whenComplete(this::onLine);
            return result;
        }

        void schedulePoll() {
            if (poll != null) {
                poll.cancel(false);
            }
            if (!ended && session.selected() != null) {
                poll = session.schedule(this::poll, session.config().idlePollInterval());
            }
        }

        /** A change hint: refresh now, or once more after the refresh in flight. */
        void hinted() {
            if (ended || session.selected() == null) {
                return;
            }
            if (refreshing) {
                hintedDuringRefresh = true;
                return;
            }
            if (!session.isWritable()) {
                return; // the client does not read: the poll catches up once it does
            }
            refresh();
        }

        void poll() {
            if (ended) {
                return;
            }
            if (!session.isWritable() || refreshing) {
                schedulePoll();
                return;
            }
            refresh();
        }

        void refresh() {
            session.takeChangesPending();
            refreshing = true;
            inFlight = MailboxRefresh.refresh(session).whenComplete((v, error) -> {
                refreshing = false;
                if (error != null) {
                    LOG.warn("event=imap.idle.poll.failed session={} error={}", session.id(), error.toString());
                }
                session.flush();
                if (hintedDuringRefresh && !ended) {
                    hintedDuringRefresh = false;
                    refresh();
                } else {
                    schedulePoll();
                }
            });
        }

        void onLine(ContinuationData data, Throwable error) {
            end();
            if (error != null) {
                result.completeExceptionally(error);
                return;
            }
            boolean done = data.line() != null
                    && new String(data.line(), StandardCharsets.US_ASCII).equalsIgnoreCase("DONE");
            StatusResponse response = done ? StatusResponse.ok(tag, "IDLE terminated")
                    : StatusResponse.bad(tag, "Expected DONE to end IDLE");
            // A poll still running would send its responses after the tagged OK; let it finish first.
            inFlight.handle((v, e) -> result.complete(response));
        }

        void expire() {
            if (ended) {
                return;
            }
            end();
            LOG.info("event=imap.idle.timeout session={} user={}", session.id(), session.user());
            session.closeWithBye("IDLE for too long; autologout");
        }

        void end() {
            ended = true;
            session.onChangesPending(null);
            if (poll != null) {
                poll.cancel(false);
            }
            if (timeout != null) {
                timeout.cancel(false);
            }
        }
    }
}
