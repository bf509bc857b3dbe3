package com.example.billing;

/** An application's own exception, outside Tern's and the libraries' packages. */
public class CardDeclinedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CardDeclinedException(String message) {
        super(message);
    }
}
