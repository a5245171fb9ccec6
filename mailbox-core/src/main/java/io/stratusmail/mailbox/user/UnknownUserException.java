package io.stratusmail.mailbox.user;

/** The operation needs an existing account and there is none with this address. */
public class UnknownUserException extends RuntimeException {

    private final Username user;

    public UnknownUserException(Username user) {
        super("unknown user " + user);
        this.user = user;
    }

    public Username user() {
        return user;
    }
}
