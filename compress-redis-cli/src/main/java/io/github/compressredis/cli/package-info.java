/**
 * The {@code compress-redis} command line: {@code advise}, {@code migrate} and
 * {@code inspect} against an existing Redis (standalone, Sentinel or cluster).
 */
@NullMarked
package io.github.compressredis.cli;

import org.jspecify.annotations.NullMarked;
