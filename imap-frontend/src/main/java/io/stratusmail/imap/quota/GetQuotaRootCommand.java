package io.stratusmail.imap.quota;

import io.stratusmail.imap.command.MailboxArgument;
import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.ResponseCode;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SessionState;
import io.stratusmail.mailbox.MailboxName;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * GETQUOTAROOT mailbox (RFC 9208 section 4.1.2): {@code * QUOTAROOT mailbox ""} and
 * {@code * QUOTA "" (...)} for a user with limits, {@code * QUOTAROOT mailbox} alone for a user without;
 * {@code NO [NONEXISTENT]} for an unknown mailbox.
 *
 * @param mailbox the mailbox asked about
 */
public record GetQuotaRootCommand(String tag, MailboxName mailbox) implements ImapCommand {

    /** Reads {@code SP mailbox} after the command name. */
    public static GetQuotaRootCommand parse(String tag, CommandReader args) throws ParseException {
        args.sp();
        MailboxName name = MailboxArgument.name(args.astring());
        args.end();
        return new GetQuotaRootCommand(tag, name);
    }

    @Override
    public String name() {
        return "GETQUOTAROOT";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.AUTHENTICATED_OR_SELECTED;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        return session.services().mailboxes().find(session.user(), mailbox).thenCompose(found -> {
            if (found.isEmpty()) {
                return CompletableFuture.completedFuture(StatusResponse.no(tag, ResponseCode.NONEXISTENT,
                        "No such mailbox"));
            }
            return QuotaRoot.of(session).thenApply(quota -> {
                session.send(new QuotaRootResponse(found.get().name().value(),
                        quota.isPresent() ? List.of(QuotaRoot.NAME) : List.of()));
                quota.ifPresent(session::send);
                return StatusResponse.ok(tag, "GETQUOTAROOT completed");
            });
        });
    }
}
