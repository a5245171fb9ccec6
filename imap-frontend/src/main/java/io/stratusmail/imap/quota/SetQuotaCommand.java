package io.stratusmail.imap.quota;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.ResponseCode;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SessionState;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * SETQUOTA root (resource limit ...) (RFC 9208 section 4.1.3): parsed fully (syntax errors are {@code BAD}),
 * then refused with {@code NO [NOPERM]}: limits are set by the operator ({@code stratus user quota}), never by
 * the user.
 */
public record SetQuotaCommand(String tag) implements ImapCommand {

    /** Most resource/limit pairs accepted in one command. */
    static final int MAX_RESOURCES = 16;

    /** Reads {@code SP quota-root SP "(" [resource SP number *(SP resource SP number)] ")"}. */
    public static SetQuotaCommand parse(String tag, CommandReader args) throws ParseException {
        args.sp();
        args.astring();
        args.sp();
        args.expect('(');
        int pairs = 0;
        while (!args.tryConsume(')')) {
            if (pairs > 0) {
                args.sp();
            }
            if (++pairs > MAX_RESOURCES) {
                throw new ParseException("Too many resources in SETQUOTA");
            }
            args.atom();
            args.sp();
            try {
                args.number(Long.MAX_VALUE);
            } catch (NumberFormatException e) {
                throw new ParseException("Quota limit out of range");
            }
        }
        args.end();
        return new SetQuotaCommand(tag);
    }

    @Override
    public String name() {
        return "SETQUOTA";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.AUTHENTICATED_OR_SELECTED;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        return CompletableFuture.completedFuture(StatusResponse.no(tag, ResponseCode.NOPERM,
                "Quota limits are set by the administrator"));
    }
}
