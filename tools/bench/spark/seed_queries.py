"""The seeds' Spark Structured Streaming queries, run by `nx run bench:spark` (tools/bench/src/spark.ts).

Written as seeds 000 and 004 write them: read Kafka from the earliest offsets, strip the 5-byte
Confluent header, from_avro with the topic's Avro schema, withWatermark, groupBy(window, key),
update output mode, foreachBatch appending each micro-batch's updated rows to PostgreSQL by JDBC.
Field names are ours (libs/event-schemas); window sizes and watermarks are the aggregator's
catalog definitions of the same metrics (libs/metrics-catalog), so both do the same work.

Every row also carries max(Kafka timestamp) of its window's records, and the table stamps
clock_timestamp() when the row lands: the freshness of each written row.

Progress goes to stdout as JSON lines ({"event": ...}); the driver reads them.
"""

import argparse
import json
import os
import time

from pyspark.sql import SparkSession
from pyspark.sql.avro.functions import from_avro
from pyspark.sql.functions import col, count, expr, lit, window
from pyspark.sql.functions import max as max_
from pyspark.sql.functions import sum as sum_
from pyspark.sql.streaming import StreamingQueryListener


def emit(event, **fields):
    print(json.dumps({"event": event, "atMs": int(time.time() * 1000), **fields}), flush=True)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--brokers", required=True)
    p.add_argument("--ecommerce-topic", required=True)
    p.add_argument("--ecommerce-schema", required=True, help="file with the Avro schema JSON the simulator writes")
    p.add_argument("--game-topic", help="with --game-schema: also run seed 000's query")
    p.add_argument("--game-schema")
    p.add_argument("--jdbc-url", required=True)
    p.add_argument("--jdbc-user", required=True)
    p.add_argument("--run-id", required=True, help="stored in every row, to tell runs apart")
    p.add_argument("--checkpoint-dir", required=True)
    p.add_argument("--trigger", choices=["available-now", "default"], default="available-now",
                   help="available-now: drain what is there and stop; default: micro-batches as fast as possible until --stop-file appears")
    p.add_argument("--stop-file", help="default trigger: stop the queries once this file exists")
    p.add_argument("--max-offsets-per-trigger", type=int, default=0, help="0: no limit")
    return p.parse_args()


def kafka_events(spark, args, topic, schema_file):
    """The topic's records decoded: the event's fields plus kafka_ts (the record's Kafka timestamp)."""
    with open(schema_file, encoding="utf-8") as f:
        schema_json = f.read()
    reader = (spark.readStream.format("kafka")
              .option("kafka.bootstrap.servers", args.brokers)
              .option("subscribe", topic)
              .option("startingOffsets", "earliest")
              .option("failOnDataLoss", "true"))
    if args.max_offsets_per_trigger > 0:
        reader = reader.option("maxOffsetsPerTrigger", args.max_offsets_per_trigger)
    raw = reader.load()
    return (raw.select(from_avro(expr("substring(value, 6, length(value)-5)"), schema_json).alias("event"),
                       col("timestamp").alias("kafka_ts"))
            .select("event.*", "kafka_ts"))


def windowed(events, size, watermark, keys, *aggregates):
    """groupBy(window(timestamp, size), keys) after withWatermark, flattened to window_start/window_end."""
    grouped = (events.withWatermark("timestamp", watermark)
               .groupBy(window(col("timestamp"), size), *[col(k) for k in keys])
               .agg(*aggregates, max_("kafka_ts").alias("max_kafka_ts")))
    return grouped.select(col("window.start").alias("window_start"), col("window.end").alias("window_end"),
                          *[c for c in grouped.columns if c != "window"])


def seed_004(shop):
    """product_view_window, category_activity_window, category_revenue_window (2-minute windows, watermark 2 min)."""
    views = windowed(shop.filter(col("event_type") == "product_view"), "2 minutes", "2 minutes", ["product_id"],
                     count("*").alias("view_count"))
    activity = windowed(shop.filter(col("product_category").isNotNull()), "2 minutes", "2 minutes", ["product_category"],
                        count("*").alias("event_count")).withColumnRenamed("product_category", "category")
    revenue = windowed(shop.filter(col("event_type") == "purchase"), "2 minutes", "2 minutes", ["product_category"],
                       sum_("amount_minor").alias("total_minor")).withColumnRenamed("product_category", "category")
    # Cents in, exact decimal out (the aggregator's numeric with minorUnits 2; seed 004 rounded to cents).
    revenue = revenue.withColumn("total_revenue", (col("total_minor").cast("decimal(20,0)") / 100).cast("decimal(20,2)")).drop("total_minor")
    return {"spark_product_view_window": views, "spark_category_activity_window": activity, "spark_category_revenue_window": revenue}


def seed_000(game):
    """game-events-time-agg: 1-minute tumbling count by (region, event_type), watermark 10 min."""
    return {"spark_game_events_time_agg": windowed(game, "1 minute", "10 minutes", ["region", "event_type"],
                                                   count("*").alias("event_count"))}


def jdbc_writer(args, table):
    password = os.environ.get("BENCH_JDBC_PASSWORD", "")  # from the environment, never on a command line
    properties = {"user": args.jdbc_user, "password": password, "driver": "org.postgresql.Driver"}

    def write(batch, batch_id):
        rows = batch.withColumn("run_id", lit(args.run_id)).withColumn("batch_id", lit(batch_id))
        rows.write.jdbc(url=args.jdbc_url, table=table, mode="append", properties=properties)
    return write


def start(args, name, frame):
    writer = (frame.writeStream.outputMode("update").queryName(name)
              .option("checkpointLocation", os.path.join(args.checkpoint_dir, name))
              .foreachBatch(jdbc_writer(args, name)))
    writer = writer.trigger(availableNow=True) if args.trigger == "available-now" else writer
    return writer.start()


class Progress(StreamingQueryListener):
    """One JSON line per started query, finished micro-batch (after its foreachBatch write), idle trigger and stop."""

    def __init__(self):
        super().__init__()
        self.names = {}

    def onQueryStarted(self, event):
        self.names[str(event.id)] = event.name
        emit("started", query=event.name)

    def onQueryProgress(self, event):
        p = event.progress
        emit("progress", query=p.name, batchId=p.batchId, inputRows=p.numInputRows,
             triggerMs=p.durationMs.get("triggerExecution"))

    def onQueryIdle(self, event):
        emit("idle", query=self.names.get(str(event.id)))

    def onQueryTerminated(self, event):
        emit("terminated", id=str(event.id), exception=event.exception)


def wait(args, queries):
    if args.trigger == "default":
        while not os.path.exists(args.stop_file) and all(q.isActive for q in queries):
            time.sleep(0.2)
        for q in queries:
            q.stop()
    for q in queries:
        q.awaitTermination()  # raises the query's failure, if any


def main():
    args = parse_args()
    spark = SparkSession.builder.appName(f"bench-spark-{args.run_id}").getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    spark.streams.addListener(Progress())
    frames = seed_004(kafka_events(spark, args, args.ecommerce_topic, args.ecommerce_schema))
    if args.game_topic:
        frames.update(seed_000(kafka_events(spark, args, args.game_topic, args.game_schema)))
    queries = [start(args, name, frame) for name, frame in frames.items()]
    emit("running", queries=list(frames))
    wait(args, queries)
    emit("done")
    spark.stop()


if __name__ == "__main__":
    main()
