package io.stratusmail.imap.command;

import io.stratusmail.imap.response.ResponseCode;
import io.stratusmail.imap.response.StatusResponse;
import io.stratusmail.imap.session.ImapSession;
import io.stratusmail.mailbox.user.Username;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks credentials for LOGIN and AUTHENTICATE through {@link io.stratusmail.mailbox.user.Accounts} (which
 * hashes off the event loop) and moves the session to the authenticated state. Logs one line per attempt,
 * never the password.
 */
final class Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    private Authenticator() {
    }

    /**
     * Authenticates {@code user} with {@code password} (UTF-8 octets, wiped afterwards).
     *
     * @return {@code OK [CAPABILITY ...]} or {@code NO [AUTHENTICATIONFAILED]}
     */
    static CompletionStage<StatusResponse> login(ImapSession session, String tag, String command, String user,
                                                 byte[] password) {
        Username username;
        char[] secret;
        try {
            username = Username.of(user);
            secret = utf8(password);
        } catch (IllegalArgumentException | CharacterCodingException e) {
            LOG.info("event=imap.auth.failure session={} command={} reason=malformed", session.id(), command);
            return CompletableFuture.completedFuture(failed(tag));
        } finally {
            Arrays.fill(password, (byte) 0);
        }
        if (secret.length == 0) {
            LOG.info("event=imap.auth.failure session={} command={} user={} reason=empty-password", session.id(),
                    command, username);
            return CompletableFuture.completedFuture(failed(tag));
        }
        return session.onEventLoop(session.services().accounts().authenticate(username, secret))
                .thenApply(ok -> {
                    Arrays.fill(secret, '\0');
                    if (!ok) {
                        LOG.info("event=imap.auth.failure session={} command={} user={} remote={}", session.id(),
                                command, username, session.remoteAddress());
                        return failed(tag);
                    }
                    session.authenticated(username);
                    LOG.info("event=imap.auth.success session={} command={} user={} remote={}", session.id(),
                            command, username, session.remoteAddress());
                    return StatusResponse.ok(tag, ResponseCode.capability(session.capabilities()),
                            command + " completed");
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
