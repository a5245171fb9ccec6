package io.stratusmail.imap.session;

import io.stratusmail.imap.response.ResponseCode;
import io.stratusmail.imap.response.StatusResponse;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Input that could not be parsed into a command, or that the framer refused; answered in turn with
 * {@code tag BAD text} ({@code tag NO [TOOBIG] text} for an APPEND whose message is too large, RFC 7889), or
 * {@code * BAD text} when no tag could be read. The session goes on.
 *
 * @param status BAD, or NO for a refused APPEND
 */
public record MalformedCommand(String tag, ResponseCode code, String text, StatusResponse.Status status)
        implements ImapCommand {

    /** A {@code BAD} answer. */
    public MalformedCommand(String tag, ResponseCode code, String text) {
        this(tag, code, text, StatusResponse.Status.BAD);
    }

    @Override
    public String name() {
        return "(malformed)";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.ANY;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        return CompletableFuture.completedFuture(new StatusResponse(tag, status, code, text));
    }
}
