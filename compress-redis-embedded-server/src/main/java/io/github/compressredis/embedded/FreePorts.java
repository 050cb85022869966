package io.github.compressredis.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.jspecify.annotations.Nullable;

/**
 * Picks free loopback ports. A server keeps its ports bound while it is stopped for a
 * restart (see {@link RedisServerProcess}), so no other server picks them meanwhile.
 *
 * @author compress-redis contributors
 */
final class FreePorts {

	/** Offset of the Redis Cluster bus port from the client port. */
	static final int CLUSTER_BUS_OFFSET = 10000;

	private FreePorts() {
	}

	/**
	 * Returns a port that is currently free on 127.0.0.1.
	 * @param clusterBus whether {@code port + 10000} must be free as well (and so the
	 * port below 55535)
	 * @return the port
	 */
	static int pick(boolean clusterBus) {
		for (int attempt = 0; attempt < 500; attempt++) {
			int port;
			try (ServerSocket socket = new ServerSocket()) {
				socket.bind(new InetSocketAddress(loopback(), 0), 1);
				port = socket.getLocalPort();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot bind an ephemeral port on 127.0.0.1", ex);
			}
			if (clusterBus && (port + CLUSTER_BUS_OFFSET > 65535 || !isFree(port + CLUSTER_BUS_OFFSET))) {
				continue;
			}
			return port;
		}
		throw new IllegalStateException("Cannot find a free port on 127.0.0.1"
				+ (clusterBus ? " whose cluster bus port (port + 10000) is free too" : ""));
	}

	/**
	 * Binds a port so that no one else takes it, or returns {@code null} if it is taken
	 * already.
	 * @param port the port
	 * @return the bound socket, to close when the port is wanted again
	 */
	static @Nullable ServerSocket hold(int port) {
		try {
			ServerSocket socket = new ServerSocket();
			try {
				socket.setReuseAddress(true);
				socket.bind(new InetSocketAddress(loopback(), port), 1);
				return socket;
			}
			catch (IOException ex) {
				socket.close();
				return null;
			}
		}
		catch (IOException ex) {
			return null;
		}
	}

	static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(loopback(), port), 1);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	static InetAddress loopback() {
		try {
			return InetAddress.getByAddress("localhost", new byte[] { 127, 0, 0, 1 });
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
