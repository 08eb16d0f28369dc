using Microsoft.EntityFrameworkCore.Migrations;

namespace Wallboard.Web.Cluster;

/// <summary>
/// The tables Quartz's ADO.NET job store keeps a clustered schedule in, on PostgreSQL, with the
/// default <c>qrtz_</c> prefix: written from Quartz 4.7's documented table layout (the columns its
/// PostgreSQL delegate reads and writes) and created by our own PostgreSQL migration, so the
/// database has one history of its schema. Quartz checks them at start-up (schema validation is
/// its default) and refuses to start when one is missing. The optional execution-history tables
/// are not created: the app does not turn that feature on.
/// </summary>
public static class QuartzTables
{
    private static readonly string[] Tables = ["locks", "scheduler_state", "fired_triggers", "paused_job_grps", "paused_trigger_grps", "calendars", "blob_triggers", "simprop_triggers", "cron_triggers", "simple_triggers", "triggers", "job_details"];

    public static void Create(MigrationBuilder migration)
    {
        ArgumentNullException.ThrowIfNull(migration);
        migration.Sql("""
            CREATE TABLE qrtz_job_details (
                sched_name text NOT NULL,
                job_name text NOT NULL,
                job_group text NOT NULL,
                description text,
                job_class_name text NOT NULL,
                is_durable boolean NOT NULL,
                is_nonconcurrent boolean NOT NULL,
                is_update_data boolean NOT NULL,
                requests_recovery boolean NOT NULL,
                job_data bytea,
                CONSTRAINT pk_qrtz_job_details PRIMARY KEY (sched_name, job_name, job_group)
            );

            CREATE TABLE qrtz_triggers (
                sched_name text NOT NULL,
                trigger_name text NOT NULL,
                trigger_group text NOT NULL,
                job_name text NOT NULL,
                job_group text NOT NULL,
                description text,
                next_fire_time bigint,
                prev_fire_time bigint,
                priority integer,
                trigger_state text NOT NULL,
                trigger_type text NOT NULL,
                start_time bigint NOT NULL,
                end_time bigint,
                calendar_name text,
                misfire_instr smallint,
                misfire_orig_fire_time bigint,
                execution_group varchar(200),
                preferred_node varchar(200),
                preferred_node_auto boolean NOT NULL DEFAULT false,
                retry_policy varchar(250),
                retry_attempt integer,
                continues_trigger_name text,
                continues_trigger_group text,
                continuation_condition integer,
                overlap_policy integer,
                pause_reason varchar(250),
                paused_by varchar(200),
                paused_at bigint,
                misfire_threshold bigint,
                fixed_delay boolean,
                job_data bytea,
                CONSTRAINT pk_qrtz_triggers PRIMARY KEY (sched_name, trigger_name, trigger_group),
                CONSTRAINT fk_qrtz_triggers_job FOREIGN KEY (sched_name, job_name, job_group)
                    REFERENCES qrtz_job_details (sched_name, job_name, job_group)
            );

            CREATE TABLE qrtz_simple_triggers (
                sched_name text NOT NULL,
                trigger_name text NOT NULL,
                trigger_group text NOT NULL,
                repeat_count bigint NOT NULL,
                repeat_interval bigint NOT NULL,
                times_triggered bigint NOT NULL,
                CONSTRAINT pk_qrtz_simple_triggers PRIMARY KEY (sched_name, trigger_name, trigger_group),
                CONSTRAINT fk_qrtz_simple_triggers FOREIGN KEY (sched_name, trigger_name, trigger_group)
                    REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
            );

            CREATE TABLE qrtz_cron_triggers (
                sched_name text NOT NULL,
                trigger_name text NOT NULL,
                trigger_group text NOT NULL,
                cron_expression text NOT NULL,
                time_zone_id text,
                CONSTRAINT pk_qrtz_cron_triggers PRIMARY KEY (sched_name, trigger_name, trigger_group),
                CONSTRAINT fk_qrtz_cron_triggers FOREIGN KEY (sched_name, trigger_name, trigger_group)
                    REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
            );

            CREATE TABLE qrtz_simprop_triggers (
                sched_name text NOT NULL,
                trigger_name text NOT NULL,
                trigger_group text NOT NULL,
                str_prop_1 text,
                str_prop_2 text,
                str_prop_3 text,
                int_prop_1 integer,
                int_prop_2 integer,
                long_prop_1 bigint,
                long_prop_2 bigint,
                dec_prop_1 numeric,
                dec_prop_2 numeric,
                bool_prop_1 boolean,
                bool_prop_2 boolean,
                time_zone_id text,
                CONSTRAINT pk_qrtz_simprop_triggers PRIMARY KEY (sched_name, trigger_name, trigger_group),
                CONSTRAINT fk_qrtz_simprop_triggers FOREIGN KEY (sched_name, trigger_name, trigger_group)
                    REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
            );

            CREATE TABLE qrtz_blob_triggers (
                sched_name text NOT NULL,
                trigger_name text NOT NULL,
                trigger_group text NOT NULL,
                blob_data bytea,
                CONSTRAINT pk_qrtz_blob_triggers PRIMARY KEY (sched_name, trigger_name, trigger_group),
                CONSTRAINT fk_qrtz_blob_triggers FOREIGN KEY (sched_name, trigger_name, trigger_group)
                    REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE
            );

            CREATE TABLE qrtz_calendars (
                sched_name text NOT NULL,
                calendar_name text NOT NULL,
                calendar bytea NOT NULL,
                CONSTRAINT pk_qrtz_calendars PRIMARY KEY (sched_name, calendar_name)
            );

            CREATE TABLE qrtz_paused_trigger_grps (
                sched_name text NOT NULL,
                trigger_group text NOT NULL,
                pause_reason varchar(250),
                paused_by varchar(200),
                paused_at bigint,
                CONSTRAINT pk_qrtz_paused_trigger_grps PRIMARY KEY (sched_name, trigger_group)
            );

            CREATE TABLE qrtz_paused_job_grps (
                sched_name text NOT NULL,
                job_group text NOT NULL,
                pause_reason varchar(250),
                paused_by varchar(200),
                paused_at bigint,
                CONSTRAINT pk_qrtz_paused_job_grps PRIMARY KEY (sched_name, job_group)
            );

            CREATE TABLE qrtz_fired_triggers (
                sched_name text NOT NULL,
                entry_id text NOT NULL,
                trigger_name text NOT NULL,
                trigger_group text NOT NULL,
                instance_name text NOT NULL,
                fired_time bigint NOT NULL,
                sched_time bigint NOT NULL,
                priority integer NOT NULL,
                state text NOT NULL,
                job_name text,
                job_group text,
                is_nonconcurrent boolean NOT NULL,
                requests_recovery boolean,
                execution_group varchar(200),
                progress integer,
                progress_message varchar(250),
                interrupt_requested_time bigint,
                CONSTRAINT pk_qrtz_fired_triggers PRIMARY KEY (sched_name, entry_id)
            );

            CREATE TABLE qrtz_scheduler_state (
                sched_name text NOT NULL,
                instance_name text NOT NULL,
                last_checkin_time bigint NOT NULL,
                checkin_interval bigint NOT NULL,
                quartz_version varchar(20),
                CONSTRAINT pk_qrtz_scheduler_state PRIMARY KEY (sched_name, instance_name)
            );

            CREATE TABLE qrtz_locks (
                sched_name text NOT NULL,
                lock_name text NOT NULL,
                CONSTRAINT pk_qrtz_locks PRIMARY KEY (sched_name, lock_name)
            );

            -- What the store looks triggers up by: due triggers in state order, a job's triggers, a node's firings.
            CREATE INDEX ix_qrtz_triggers_due ON qrtz_triggers (sched_name, trigger_state, next_fire_time, priority DESC, misfire_instr);
            CREATE INDEX ix_qrtz_triggers_job ON qrtz_triggers (sched_name, job_name, job_group);
            CREATE INDEX ix_qrtz_triggers_group ON qrtz_triggers (sched_name, trigger_group, trigger_name);
            CREATE INDEX ix_qrtz_triggers_calendar ON qrtz_triggers (sched_name, calendar_name);
            CREATE INDEX ix_qrtz_job_details_group ON qrtz_job_details (sched_name, job_group, job_name);
            CREATE INDEX ix_qrtz_fired_triggers_instance ON qrtz_fired_triggers (sched_name, instance_name, requests_recovery);
            CREATE INDEX ix_qrtz_fired_triggers_job ON qrtz_fired_triggers (sched_name, job_name, job_group);
            CREATE INDEX ix_qrtz_fired_triggers_trigger ON qrtz_fired_triggers (sched_name, trigger_name, trigger_group);
            """);
    }

    public static void Drop(MigrationBuilder migration)
    {
        ArgumentNullException.ThrowIfNull(migration);
        foreach (var table in Tables)
        {
            migration.Sql($"DROP TABLE IF EXISTS qrtz_{table};");
        }
    }
}
