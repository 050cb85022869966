package io.github.compressredis.autoconfigure;

/**
 * A policy change refused by the {@link PolicyPipeline}; its message is the one reason
 * shown in the log, the endpoint's {@code lastRefused} and the endpoint's 400 answer.
 *
 * @author compress-redis contributors
 */
public class PolicyRefusedException extends IllegalArgumentException {

	public PolicyRefusedException(String reason) {
		super(reason);
	}

	public PolicyRefusedException(String reason, Throwable cause) {
		super(reason, cause);
	}

	/**
	 * Return why the change was refused.
	 * @return the reason
	 */
	public String getReason() {
		return getMessage();
	}

}
