package io.github.compressredis.core.policy;

/**
 * Where a policy came from, in the policy history and the endpoint.
 *
 * @author compress-redis contributors
 */
public enum PolicySource {

	/** The built-in defaults. */
	DEFAULTS("defaults"),

	/**
	 * {@code compress.redis.*} from the application's configuration (application.yml).
	 */
	PROPERTIES("yml"),

	/** A Nacos configuration entry. */
	NACOS("nacos"),

	/**
	 * The Nacos client's local snapshot of a Nacos configuration entry, read at startup
	 * while the Nacos server was unreachable: what Nacos held when this client last
	 * reached it.
	 */
	NACOS_SNAPSHOT("nacos-snapshot"),

	/** The actuator endpoint's write operation. */
	ENDPOINT("endpoint"),

	/** A policy bean defined by the application. */
	BEAN("bean"),

	/** A direct call of {@link CompressionPolicyHolder#update}. */
	API("api");

	private final String tag;

	PolicySource(String tag) {
		this.tag = tag;
	}

	public String tag() {
		return this.tag;
	}

}
