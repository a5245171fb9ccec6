package io.stratusmail.imap.command;

import io.stratusmail.imap.literal.InMemoryLiteral;
import io.stratusmail.imap.literal.MessageLiteral;
import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.ResponseCode;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SelectedMailbox;
import io.stratusmail.imap.session.SessionState;
import io.stratusmail.mailbox.Mailbox;
import io.stratusmail.mailbox.MailboxName;
import io.stratusmail.mailbox.message.AppendResult;
import io.stratusmail.mailbox.message.Flags;
import io.stratusmail.mailbox.message.MessageStore;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * APPEND mailbox [flag-list] [date-time] literal (RFC 3501 section 6.3.11). The message is the literal,
 * synchronizing ({@code {n}}, the server answers {@code + Ready for literal data}) or not ({@code {n+}},
 * LITERAL+ RFC 7888), at most {@link io.stratusmail.imap.ImapConfig#maxLiteralSize()} octets (advertised as
 * {@code APPENDLIMIT=n}, RFC 7889); the framer refuses a larger one before reading it, with {@code NO [TOOBIG]}.
 * A small message is read into memory and appended as an array; a large one is spooled to a file by the framer
 * ({@link io.stratusmail.imap.literal.SpooledLiteral}) and stored from the mapped file with
 * {@link io.stratusmail.mailbox.message.MessageStore#storeContent(java.nio.ByteBuffer)}, so the heap never holds
 * it whole. The command owns its literal and releases it (deletes the spool file) when it completes, whatever
 * the outcome.
 *
 * <p>Answers {@code OK [APPENDUID uidvalidity uid]} (RFC 4315) once the message is durable; {@code NO [TRYCREATE]}
 * when the mailbox does not exist; {@code BAD} for {@code \Recent} in the flags, a malformed date-time, a
 * message that is not a literal or holds a NUL octet (literal8 / BINARY is not supported); {@code NO} for an
 * empty message. Without a date-time the INTERNALDATE is the time of the APPEND. When the target is the selected
 * mailbox, the session's view is refreshed before the OK, so the client sees {@code * n EXISTS}.
 *
 * @param mailbox      target mailbox
 * @param flags        initial flags
 * @param internalDate INTERNALDATE given by the client, or null for now
 * @param message      the message octets
 */
public record AppendCommand(String tag, MailboxName mailbox, Flags flags, Instant internalDate,
                            MessageLiteral message) implements ImapCommand {

    private static final byte[] NO_PREFIX = new byte[0];

    private static final Logger LOG = LoggerFactory.getLogger(AppendCommand.class);
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG",
            "SEP", "OCT", "NOV", "DEC");
    /** date-time: date-day-fixed "-" date-month "-" date-year SP time SP zone (a 1-digit day is tolerated). */
    private static final Pattern DATE_TIME = Pattern.compile(
            " ?(\\d{1,2})-([A-Za-z]{3})-(\\d{4}) (\\d{2}):(\\d{2}):(\\d{2}) ([+-])(\\d{2})(\\d{2})");

    static AppendCommand parse(String tag, CommandReader args) throws ParseException {
        args.sp();
        MailboxName name = MailboxArgument.name(args.astring());
        args.sp();
        Flags flags = Flags.EMPTY;
        if (args.peek() == '(') {
            flags = StoreCommand.flags(args);
            args.sp();
        }
        Instant date = null;
        if (args.peek() == '"') {
            date = dateTime(new String(args.string(), StandardCharsets.US_ASCII));
            args.sp();
        }
        MessageLiteral message = args.messageLiteral();
        try {
            args.end();
            if (message.containsNul()) {
                throw new ParseException("The message holds a NUL octet; this server does not support BINARY");
            }
        } catch (ParseException e) {
            message.release();
            throw e;
        }
        return new AppendCommand(tag, name, flags, date, message);
    }

    /** Parses an RFC 3501 date-time such as {@code 17-Jul-1996 02:44:25 -0700}. */
    static Instant dateTime(String text) throws ParseException {
        Matcher m = DATE_TIME.matcher(text);
        int month = m.matches() ? MONTHS.indexOf(m.group(2).toUpperCase(Locale.ROOT)) + 1 : 0;
        if (month == 0) {
            throw new ParseException("Invalid date-time, expected e.g. \"17-Jul-1996 02:44:25 -0700\"");
        }
        try {
            int zoneHours = Integer.parseInt(m.group(8));
            int zoneMinutes = Integer.parseInt(m.group(9));
            int sign = m.group(7).equals("-") ? -1 : 1;
            ZoneOffset zone = ZoneOffset.ofHoursMinutes(sign * zoneHours, sign * zoneMinutes);
            return LocalDateTime.of(Integer.parseInt(m.group(3)), month, Integer.parseInt(m.group(1)),
                    Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)))
                    .toInstant(zone);
        } catch (DateTimeException e) {
            throw new ParseException("Invalid date-time: " + e.getMessage());
        }
    }

    @Override
    public String name() {
        return "APPEND";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.AUTHENTICATED_OR_SELECTED;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        CompletionStage<StatusResponse> result;
        try {
            result = append(session);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((response, error) -> message.release());
    }

    private CompletionStage<StatusResponse> append(ImapSession session) {
        if (message.size() == 0) {
            return CompletableFuture.completedFuture(StatusResponse.no(tag, "An empty message cannot be appended"));
        }
        Instant date = internalDate != null ? internalDate : Instant.now();
        return session.onEventLoop(session.services().mailboxes().find(session.user(), mailbox))
                .thenCompose(found -> {
                    if (found.isEmpty()) {
                        return CompletableFuture.completedFuture(StatusResponse.no(tag, ResponseCode.TRYCREATE,
                                "Mailbox does not exist"));
                    }
                    Mailbox target = found.get();
                    return session.onEventLoop(store(session.services().messages(), target, date))
                            .handle((result, error) -> error == null ? appended(session, target, result)
                                    : CompletableFuture.completedFuture(tooBigForTheStore(error)))
                            .thenCompose(response -> response);
                });
    }

    /** An array as it is; a spooled literal from its mapped file, stored first, then appended by reference. */
    private CompletionStage<AppendResult> store(MessageStore messages, Mailbox target, Instant date) {
        if (message instanceof InMemoryLiteral inMemory) {
            return messages.append(target, inMemory.bytes(), flags, date);
        }
        return message.octets()
                .thenCompose(messages::storeContent)
                .thenCompose(stored -> messages.append(target, stored, NO_PREFIX, flags, date));
    }

    private CompletionStage<StatusResponse> appended(ImapSession session, Mailbox target, AppendResult result) {
        LOG.debug("event=imap.append session={} mailbox={} uid={} size={}", session.id(), target.id(),
                result.record().uid(), result.record().size());
        StatusResponse ok = StatusResponse.ok(tag, ResponseCode.appendUid(result.uidValidity(), result.record().uid()),
                "APPEND completed");
        SelectedMailbox selected = session.selected();
        if (selected == null || !selected.mailbox().id().equals(target.id())) {
            return CompletableFuture.completedFuture(ok);
        }
        // The message is durable whatever happens here: a failed refresh only delays the EXISTS.
        return MailboxRefresh.refresh(session).handle((v, error) -> {
            if (error != null) {
                LOG.warn("event=imap.append.refresh.failed session={} error={}", session.id(), error.toString());
            }
            return ok;
        });
    }

    /** The store refuses messages above its own limit with IllegalArgumentException: {@code NO [TOOBIG]}. */
    private StatusResponse tooBigForTheStore(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof IllegalArgumentException) {
            return StatusResponse.no(tag, ResponseCode.TOOBIG, "Message too large for the store");
        }
        throw error instanceof CompletionException ce ? ce : new CompletionException(cause);
    }

    @Override
    public String toString() {
        return "AppendCommand[tag=" + tag + ", mailbox=" + mailbox + ", size=" + message.size() + "]";
    }
}
