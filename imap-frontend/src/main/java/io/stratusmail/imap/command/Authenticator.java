package io.stratusmail.imap.command;

import io.stratusmail.imap.limits.LoginThrottle;
import io.stratusmail.imap.response.ResponseCode;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.mailbox.user.Username;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks credentials for LOGIN and AUTHENTICATE through {@link io.stratusmail.mailbox.user.Accounts} (which
 * hashes off the event loop) and moves the session to the authenticated state, unless the user already has
 * {@link io.stratusmail.imap.ImapConfig#maxConnectionsPerUser()} connections on this node ({@code NO [LIMIT]},
 * RFC 5530; the connection stays unauthenticated and may retry). After repeated failures from
 * the client's address the attempt first waits as {@link LoginThrottle} says (on the event loop's timer, never
 * blocking it). Logs one line per attempt, never the password.
 */
final class Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    private Authenticator() {
    }

    /** {@code NO [PRIVACYREQUIRED]} when plaintext authentication is not allowed on this connection, else null. */
    static StatusResponse refuseWithoutTls(ImapSession session, String tag, String command) {
        if (session.plaintextAuthAllowed()) {
            return null;
        }
        LOG.info("event=imap.auth.refused session={} command={} reason=tls-required remote={}", session.id(),
                command, session.remoteAddress());
        return StatusResponse.no(tag, ResponseCode.PRIVACYREQUIRED,
                "Authentication needs TLS: use STARTTLS or the implicit TLS port first");
    }

    /**
     * Authenticates {@code user} with {@code password} (UTF-8 octets, wiped afterwards).
     *
     * @return {@code OK [CAPABILITY ...]}, {@code NO [AUTHENTICATIONFAILED]} or {@code NO [LIMIT]}
     */
    static CompletionStage<StatusResponse> login(ImapSession session, String tag, String command, String user,
                                                 byte[] password) {
        Username username;
        char[] secret;
        try {
            username = Username.of(user);
            secret = utf8(password);
        } catch (IllegalArgumentException | CharacterCodingException e) {
            username = null;
            secret = null;
        } finally {
            Arrays.fill(password, (byte) 0);
        }
        InetAddress address = session.clientAddress();
        LoginThrottle throttle = session.loginThrottle();
        Duration wait = address == null ? Duration.ZERO : throttle.delayBeforeAttempt(address);
        CompletionStage<Void> start = CompletableFuture.completedFuture(null);
        if (!wait.isZero()) {
            LOG.info("event=imap.auth.delayed session={} command={} remote={} millis={}", session.id(), command,
                    session.remoteAddress(), wait.toMillis());
            start = session.delay(wait);
        }
        Username name = username;
        char[] pass = secret;
        return start.thenCompose(v -> check(session, command, name, pass)).thenApply(ok -> {
            if (!ok) {
                if (address != null) {
                    throttle.failed(address);
                }
                return failed(tag);
            }
            if (address != null) {
                throttle.succeeded(address);
            }
            if (!session.acquireUserConnection(name)) {
                LOG.info("event=imap.auth.refused session={} command={} user={} reason=too-many-user-connections"
                        + " limit={} remote={}", session.id(), command, name, session.config().maxConnectionsPerUser(),
                        session.remoteAddress());
                return StatusResponse.no(tag, ResponseCode.LIMIT, "Too many connections of this user on this server;"
                        + " close another one and try again");
            }
            session.authenticated(name);
            LOG.info("event=imap.auth.success session={} command={} user={} remote={}", session.id(), command,
                    name, session.remoteAddress());
            return StatusResponse.ok(tag, ResponseCode.capability(session.capabilities()), command + " completed");
        });
    }

    /** Whether the credentials are right; malformed or empty ones are wrong without asking the store. */
    private static CompletionStage<Boolean> check(ImapSession session, String command, Username user, char[] secret) {
        if (user == null || secret == null) {
            if (secret != null) {
                Arrays.fill(secret, '\0');
            }
            LOG.info("event=imap.auth.failure session={} command={} reason=malformed remote={}", session.id(),
                    command, session.remoteAddress());
            return CompletableFuture.completedFuture(false);
        }
        if (secret.length == 0) {
            LOG.info("event=imap.auth.failure session={} command={} user={} reason=empty-password remote={}",
                    session.id(), command, user, session.remoteAddress());
            return CompletableFuture.completedFuture(false);
        }
        return session.onEventLoop(session.services().accounts().authenticate(user, secret)).thenApply(ok -> {
            Arrays.fill(secret, '\0');
            if (!ok) {
                LOG.info("event=imap.auth.failure session={} command={} user={} remote={}", session.id(), command,
                        user, session.remoteAddress());
            }
            return ok;
        });
    }

    static StatusResponse failed(String tag) {
        return StatusResponse.no(tag, ResponseCode.AUTHENTICATIONFAILED, "Invalid credentials");
    }

    private static char[] utf8(byte[] octets) throws CharacterCodingException {
        CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(octets));
        char[] out = new char[chars.remaining()];
        chars.get(out);
        Arrays.fill(chars.array(), '\0');
        return out;
    }
}
