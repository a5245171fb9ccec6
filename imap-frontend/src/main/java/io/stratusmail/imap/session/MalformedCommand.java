package io.stratusmail.imap.session;

import io.stratusmail.imap.response.ResponseCode;
import io.stratusmail.imap.response.StatusResponse;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Input that could not be parsed into a command; answered in turn with {@code tag BAD text}, or
 * {@code * BAD text} when no tag could be read. The session goes on.
 */
public record MalformedCommand(String tag, ResponseCode code, String text) implements ImapCommand {

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
        return CompletableFuture.completedFuture(StatusResponse.bad(tag, code, text));
    }
}
