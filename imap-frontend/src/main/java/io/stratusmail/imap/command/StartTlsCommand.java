package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SessionState;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * STARTTLS (RFC 3501 section 6.2.1): {@code tag OK Begin TLS negotiation now} in plaintext, then the TLS
 * handshake; the client must discard what it knew of the capabilities. The session handler inserts TLS
 * right after the OK and refuses (closing the connection) when the client sent anything after STARTTLS
 * before the handshake (RFC 7817 section 3). {@code BAD} when TLS is not configured or already active.
 */
public record StartTlsCommand(String tag) implements ImapCommand {

    static StartTlsCommand parse(String tag, CommandReader args) throws ParseException {
        args.end();
        return new StartTlsCommand(tag);
    }

    @Override
    public String name() {
        return "STARTTLS";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.UNAUTHENTICATED;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        if (!session.config().tlsEnabled()) {
            return CompletableFuture.completedFuture(StatusResponse.bad(tag, "STARTTLS is not available here"));
        }
        if (session.tlsActive()) {
            return CompletableFuture.completedFuture(StatusResponse.bad(tag, "TLS is already active"));
        }
        session.requestStartTls();
        return CompletableFuture.completedFuture(StatusResponse.ok(tag, "Begin TLS negotiation now"));
    }
}
