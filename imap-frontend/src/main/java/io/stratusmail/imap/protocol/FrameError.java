package io.stratusmail.imap.protocol;

import io.stratusmail.imap.response.ResponseCode;

/**
 * A command the framer refused and discarded (line or command too long, literal too big). Passed down
 * the pipeline in command order so the session answers {@code tag BAD} in turn.
 *
 * @param tag     the command's tag when one could be read, else null (answered with an untagged {@code * BAD})
 * @param code    response code, e.g. {@link ResponseCode#TOOBIG}, or null
 * @param text    human-readable reason
 * @param command the command's name in upper case when it could be read (e.g. {@code APPEND}), else null
 */
public record FrameError(String tag, ResponseCode code, String text, String command) {
}
