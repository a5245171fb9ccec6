package io.stratusmail.imap.protocol;

/** A command that does not follow the RFC 3501 grammar; answered with {@code tag BAD <message>}. */
public final class ParseException extends Exception {

    public ParseException(String message) {
        super(message, null, false, false);
    }
}
