package io.stratusmail.imap.command;

import io.stratusmail.imap.protocol.CommandReader;
import io.stratusmail.imap.protocol.ParseException;
import io.stratusmail.imap.response.ResponseCode;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ContinuationData;
import io.stratusmail.imap.session.ImapCommand;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.imap.session.SessionState;
import io.stratusmail.mailbox.user.Username;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * AUTHENTICATE mechanism [initial-response] (RFC 3501 section 6.2.2, SASL-IR RFC 4959). Supports PLAIN
 * (RFC 4616): {@code [authzid] NUL authcid NUL passwd}, BASE64-encoded, either as the initial response
 * ({@code =} for an empty one) or after an empty {@code + } challenge; and LOGIN (draft-murchison-sasl-login,
 * used by Outlook): challenges {@code + VXNlcm5hbWU6} ("Username:", skipped when the user name
 * came as the initial response) and {@code + UGFzc3dvcmQ6} ("Password:"), each answered by the BASE64 user name
 * and password. The client's {@code *} cancels
 * ({@code BAD}); an authorization identity other than the user is refused ({@code NO [AUTHORIZATIONFAILED]}).
 * Without TLS, when plaintext authentication is not allowed: {@code NO [PRIVACYREQUIRED]} before any
 * credentials are asked for.
 *
 * @param mechanism       the SASL mechanism name, upper case
 * @param initialResponse the BASE64 initial response as sent, or null when absent
 */
public record AuthenticateCommand(String tag, String mechanism, String initialResponse) implements ImapCommand {

    /** The LOGIN mechanism's challenges: BASE64 of {@code Username:} and {@code Password:}. */
    private static final String LOGIN_USERNAME = "VXNlcm5hbWU6";
    private static final String LOGIN_PASSWORD = "UGFzc3dvcmQ6";

    static AuthenticateCommand parse(String tag, CommandReader args) throws ParseException {
        args.sp();
        String mechanism = args.atom().toUpperCase(Locale.ROOT);
        String initial = null;
        if (args.tryConsume(' ')) {
            initial = args.atom();
        }
        args.end();
        return new AuthenticateCommand(tag, mechanism, initial);
    }

    @Override
    public String name() {
        return "AUTHENTICATE";
    }

    @Override
    public Set<SessionState> validStates() {
        return SessionState.UNAUTHENTICATED;
    }

    @Override
    public CompletionStage<StatusResponse> execute(ImapSession session) {
        StatusResponse refused = Authenticator.refuseWithoutTls(session, tag, "AUTHENTICATE");
        if (refused != null) {
            return CompletableFuture.completedFuture(refused);
        }
        if (mechanism.equals("LOGIN")) {
            return saslLogin(session);
        }
        if (!mechanism.equals("PLAIN")) {
            return CompletableFuture.completedFuture(
                    StatusResponse.no(tag, ResponseCode.CANNOT, "Unsupported authentication mechanism"));
        }
        CompletionStage<String> response = initialResponse != null
                ? CompletableFuture.completedFuture(initialResponse)
                : session.continuation("").thenApply(AuthenticateCommand::line);
        return response.thenCompose(r -> r == null
                ? CompletableFuture.completedFuture(StatusResponse.bad(tag, "Unreadable SASL response"))
                : plain(session, r));
    }

    /** SASL LOGIN: the user name (initial response or first challenge), then the password (second challenge). */
    private CompletionStage<StatusResponse> saslLogin(ImapSession session) {
        CompletionStage<String> name = initialResponse != null
                ? CompletableFuture.completedFuture(initialResponse)
                : session.continuation(LOGIN_USERNAME).thenApply(AuthenticateCommand::line);
        return name.thenCompose(n -> {
            StatusResponse bad = unusable(n);
            if (bad != null) {
                return CompletableFuture.completedFuture(bad);
            }
            String user = new String(decode(n), StandardCharsets.UTF_8);
            return session.continuation(LOGIN_PASSWORD).thenApply(AuthenticateCommand::line).thenCompose(p -> {
                StatusResponse badPassword = unusable(p);
                return badPassword != null
                        ? CompletableFuture.completedFuture(badPassword)
                        : Authenticator.login(session, tag, "AUTHENTICATE", user, decode(p));
            });
        });
    }

    /** A BAD for a SASL response that is unreadable, the cancelling {@code *} or not BASE64; null when usable. */
    private StatusResponse unusable(String response) {
        if (response == null) {
            return StatusResponse.bad(tag, "Unreadable SASL response");
        }
        if (response.equals("*")) {
            return StatusResponse.bad(tag, "AUTHENTICATE cancelled");
        }
        try {
            decode(response);
            return null;
        } catch (IllegalArgumentException e) {
            return StatusResponse.bad(tag, "Invalid BASE64 in SASL response");
        }
    }

    /** A SASL response's octets; {@code =} is the empty initial response (RFC 4959 section 3). */
    private static byte[] decode(String base64) {
        return base64.equals("=") ? new byte[0] : Base64.getDecoder().decode(base64);
    }

    private static String line(ContinuationData data) {
        return data.line() == null ? null : new String(data.line(), StandardCharsets.US_ASCII);
    }

    private CompletionStage<StatusResponse> plain(ImapSession session, String base64) {
        if (base64.equals("*")) {
            return CompletableFuture.completedFuture(StatusResponse.bad(tag, "AUTHENTICATE cancelled"));
        }
        byte[] message;
        try {
            message = base64.equals("=") ? new byte[0] : Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(StatusResponse.bad(tag, "Invalid BASE64 in SASL response"));
        }
        int first = indexOf(message, 0);
        int second = first < 0 ? -1 : indexOf(message, first + 1);
        if (second < 0 || indexOf(message, second + 1) >= 0) {
            Arrays.fill(message, (byte) 0);
            return CompletableFuture.completedFuture(StatusResponse.bad(tag,
                    "Malformed PLAIN response: expected [authzid] NUL authcid NUL passwd"));
        }
        String authzid = new String(message, 0, first, StandardCharsets.UTF_8);
        String authcid = new String(message, first + 1, second - first - 1, StandardCharsets.UTF_8);
        byte[] password = Arrays.copyOfRange(message, second + 1, message.length);
        Arrays.fill(message, (byte) 0);
        if (!authzid.isEmpty() && !sameUser(authzid, authcid)) {
            Arrays.fill(password, (byte) 0);
            return CompletableFuture.completedFuture(StatusResponse.no(tag, ResponseCode.AUTHORIZATIONFAILED,
                    "Acting as another user is not allowed"));
        }
        return Authenticator.login(session, tag, "AUTHENTICATE", authcid, password);
    }

    private static boolean sameUser(String a, String b) {
        try {
            return Username.of(a).equals(Username.of(b));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
