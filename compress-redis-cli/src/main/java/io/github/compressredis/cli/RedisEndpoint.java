package io.github.compressredis.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.github.compressredis.core.dictionary.DictionaryProvider;
import io.github.compressredis.core.dictionary.DictionaryRegistry;
import io.github.compressredis.core.dictionary.DictionarySettings;
import io.github.compressredis.core.dictionary.RedisDictionaryStore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A connection to a standalone, Sentinel-managed or cluster Redis, with one connection
 * per master for the commands that scan.
 *
 * @author compress-redis contributors
 */
final class RedisEndpoint implements AutoCloseable {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

	private final String display;

	private final @Nullable RedisClient client;

	private final @Nullable RedisClusterClient clusterClient;

	private final RedisClusterCommands<byte[], byte[]> commands;

	private final List<Node> masters;

	private @Nullable LettuceConnectionFactory dictionaryConnections;

	private @Nullable DictionaryRegistry dictionaries;

	private RedisEndpoint(String display, @Nullable RedisClient client, @Nullable RedisClusterClient clusterClient,
			RedisClusterCommands<byte[], byte[]> commands, List<Node> masters) {
		this.display = display;
		this.client = client;
		this.clusterClient = clusterClient;
		this.commands = commands;
		this.masters = masters;
	}

	/**
	 * Connect as the options say.
	 * @param options the options
	 * @return the endpoint
	 * @throws CliException for a bad URI, an unreachable server or refused credentials
	 */
	static RedisEndpoint connect(RedisOptions options) {
		RedisURI uri = options.redisUri();
		String display = options.display();
		SocketOptions socket = SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build();
		if (options.cluster) {
			RedisClusterClient client = RedisClusterClient.create(uri);
			client.setOptions(ClusterClientOptions.builder().socketOptions(socket).build());
			try {
				StatefulRedisClusterConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
				List<Node> masters = new ArrayList<>();
				List<RedisClusterNode> nodes = new ArrayList<>(connection.getPartitions().getPartitions());
				nodes.sort(Comparator.comparing((RedisClusterNode node) -> node.getUri().toString()));
				for (RedisClusterNode node : nodes) {
					if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
						StatefulRedisConnection<byte[], byte[]> nodeConnection = connection
							.getConnection(node.getNodeId());
						masters.add(new Node(node.getNodeId(), node.getUri().getHost() + ":" + node.getUri().getPort(),
								nodeConnection.sync()));
					}
				}
				return new RedisEndpoint(display, null, client, connection.sync(), List.copyOf(masters));
			}
			catch (RuntimeException ex) {
				client.shutdown();
				throw RedisErrors.translate(ex, display);
			}
		}
		RedisClient client = RedisClient.create();
		client.setOptions(ClientOptions.builder().socketOptions(socket).build());
		try {
			StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE, uri);
			RedisCommands<byte[], byte[]> sync = connection.sync();
			sync.ping();
			String name = (uri.getHost() != null) ? uri.getHost() + ":" + uri.getPort() : "master";
			return new RedisEndpoint(display, client, null, sync, List.of(new Node(name, name, sync)));
		}
		catch (RuntimeException ex) {
			client.shutdown();
			throw RedisErrors.translate(ex, display);
		}
	}

	/**
	 * The masters: one for standalone and Sentinel, every master of a cluster.
	 * @return the master nodes
	 */
	List<Node> masters() {
		return this.masters;
	}

	/**
	 * Commands routed by key (to the right master of a cluster).
	 * @return the key-routed commands
	 */
	RedisClusterCommands<byte[], byte[]> commands() {
		return this.commands;
	}

	String display() {
		return this.display;
	}

	/**
	 * Return the dictionaries stored in this Redis, read through the core's
	 * {@link RedisDictionaryStore} as the starter reads them (only when a value needs
	 * one).
	 * @param options the options this endpoint was connected with
	 * @param prefix the dictionary key prefix
	 * @return the dictionary provider
	 */
	synchronized DictionaryProvider dictionaries(RedisOptions options, String prefix) {
		if (this.dictionaries == null) {
			RedisURI uri = options.redisUri();
			RedisConfiguration configuration;
			if (options.cluster) {
				RedisClusterConfiguration cluster = new RedisClusterConfiguration(
						List.of(uri.getHost() + ":" + uri.getPort()));
				cluster.setUsername(uri.getUsername());
				if (uri.getPassword() != null) {
					cluster.setPassword(RedisPassword.of(uri.getPassword()));
				}
				configuration = cluster;
			}
			else {
				configuration = LettuceConnectionFactory.createRedisConfiguration(uri);
			}
			LettuceClientConfiguration client = uri.isSsl() ? LettuceClientConfiguration.builder().useSsl().build()
					: LettuceClientConfiguration.defaultConfiguration();
			LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration, client);
			factory.afterPropertiesSet();
			factory.start();
			this.dictionaryConnections = factory;
			this.dictionaries = new DictionaryRegistry(new RedisDictionaryStore(factory, prefix),
					DictionarySettings.defaults());
		}
		return this.dictionaries;
	}

	@Override
	public void close() {
		if (this.dictionaries != null) {
			this.dictionaries.close();
		}
		if (this.dictionaryConnections != null) {
			this.dictionaryConnections.destroy();
		}
		if (this.client != null) {
			this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
		if (this.clusterClient != null) {
			this.clusterClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

	/**
	 * One master.
	 *
	 * @param id a stable name (the cluster node id, or host:port)
	 * @param address host:port, for messages
	 * @param commands commands on a connection to that master only
	 */
	record Node(String id, String address, RedisCommands<byte[], byte[]> commands) {

	}

	/** Turns Lettuce's exceptions into messages that say what to do. */
	static final class RedisErrors {

		private RedisErrors() {
		}

		static CliException translate(RuntimeException ex, String display) {
			if (ex instanceof CliException cli) {
				return cli;
			}
			String message = rootMessage(ex);
			if (message.startsWith("NOPERM")) {
				return new CliException(CliException.REDIS, "Redis at " + display + " refused a command: " + message
						+ ". The user needs these permissions: advise and inspect '+@read +scan +type +memory "
						+ "+dbsize +ping +cluster', migrate also '+eval' and the commands the script runs ('+set "
						+ "+hset'), on the keys it touches (e.g. ACL SETUSER <user> ~* +@read +@write +@scripting "
						+ "+memory +@connection +cluster)", ex);
			}
			if (message.startsWith("WRONGPASS") || message.startsWith("NOAUTH")
					|| message.contains("invalid username-password")) {
				return new CliException(CliException.REDIS, "Redis at " + display + " refused the credentials: "
						+ message + ". Put user and password in the URI: redis://user:password@host:port", ex);
			}
			if (ex instanceof RedisConnectionException || message.contains("Connection refused")
					|| message.contains("Unable to connect")) {
				return new CliException(CliException.REDIS, "Cannot reach Redis at " + display + ": " + message
						+ ". Check host, port, TLS (rediss://) and that the server is running", ex);
			}
			if (ex instanceof RedisCommandExecutionException) {
				return new CliException(CliException.REDIS,
						"Redis at " + display + " answered with an error: " + message, ex);
			}
			return new CliException(CliException.REDIS, "Talking to Redis at " + display + " failed: " + message, ex);
		}

		static boolean isPermission(Throwable ex) {
			return rootMessage(ex).startsWith("NOPERM");
		}

		private static String rootMessage(Throwable ex) {
			Throwable cause = ex;
			String message = String.valueOf(ex.getMessage());
			while (cause != null) {
				if (cause.getMessage() != null && (cause.getMessage().startsWith("NOPERM")
						|| cause.getMessage().startsWith("WRONGPASS") || cause.getMessage().startsWith("NOAUTH"))) {
					return cause.getMessage();
				}
				if (cause.getCause() == null || cause.getCause() == cause) {
					break;
				}
				cause = cause.getCause();
				if (cause.getMessage() != null && !(cause instanceof RedisConnectionException)) {
					message = message + " (" + cause.getMessage() + ")";
				}
			}
			return message;
		}

	}

}
