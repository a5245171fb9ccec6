package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SessionState;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * LOGIN user password (RFC 3501 section 6.2.3), both astrings. {@code NO [AUTHENTICATIONFAILED]} on a wrong
 * user or password; {@code NO [PRIVACYREQUIRED]} (RFC 5530) without TLS when plaintext authentication is not
 * allowed (the server then announces {@code LOGINDISABLED}).
 *
 * @param user     the user name as sent (an address, see {@link io.stratusmail.mailbox.user.Username})
 * @param password the password's UTF-8 octets; wiped once checked
 */
public record LoginCommand(String tag, String user, byte[] password) implements ImapCommand {

    static LoginCommand parse(String tag, CommandReader args) throws ParseException {
        args.sp();
        byte[] user = args.astring();
        args.sp();
        byte[] password = args.astring();
        args.end();
        return new LoginCommand(tag, new String(user, StandardCharsets.UTF_8), password);
    }

    @Override
    public String name() {
        return "LOGIN";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.UNAUTHENTICATED;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        StatusResponse refused = Authenticator.refuseWithoutTls(session, tag, "LOGIN");
        if (refused != null) {
            Arrays.fill(password, (byte) 0);
            return CompletableFuture.completedFuture(refused);
        }
        return Authenticator.login(session, tag, "LOGIN", user, password);
    }

    @Override
    public String toString() {
        return "LoginCommand[tag=" + tag + ", user=" + user + "]";
    }
}
