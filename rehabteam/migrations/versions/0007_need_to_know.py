"""Need-to-know enforced where it cannot be bypassed.

Both databases: who made a case, who registered a citizen, who looked a citizen up by full
CPR number (`citizen_access`), an access request's passing sight of a citizen's cases
(`indsigt_grant`), and a keyed audit chain (`hash_version` 2: an HMAC with a new
`audit_chain_key`; earlier entries keep their unkeyed hash and may only come first).

PostgreSQL: row-level security on every table with a case's or a citizen's data, keyed on
the login (`session_user` -> `staff_member.login`), saying what `services.access` says; the
staff tables writable by administrators only; the keys in app_meta readable by
administrators only; audit entries written only through `rehabteam_audit()` (SECURITY
DEFINER), which takes the actor from the login and extends the chain itself. The table owner
(who migrates) is not subject to the policies. Grants for the team's role are given by
`rehabteam db setup-roles`; here, write rights that older set-ups gave on the audit trail,
app_meta and alembic_version are taken back from everyone but the owner.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Who is asking, as the policies see it. SECURITY DEFINER: they read the staff and meeting
# tables as the owner, so a policy never recurses into another table's policy.
HELPERS = """
CREATE FUNCTION rt_me() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
    SELECT id FROM staff_member WHERE login = session_user AND active
$$;
CREATE FUNCTION rt_has_role(p_role text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
    SELECT EXISTS (
        SELECT 1 FROM staff_role r JOIN staff_member m ON m.id = r.staff_id
        WHERE m.login = session_user AND m.active AND r.role = p_role)
$$;
CREATE FUNCTION rt_my_teams() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
    SELECT coalesce(array_agg(tm.team_id), '{{}}')
    FROM team_member tm JOIN staff_member m ON m.id = tm.staff_id
    WHERE m.login = session_user AND m.active
$$;
CREATE FUNCTION rt_my_extra_cases() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
    SELECT coalesce(array_agg(DISTINCT x), '{{}}') FROM (
        SELECT ai.case_id AS x FROM agenda_item ai
        JOIN meeting_participant mp ON mp.meeting_id = ai.meeting_id
        WHERE mp.staff_id = rt_me()
        UNION SELECT case_id FROM indstilling WHERE koordinerende_sagsbehandler_id = rt_me()
    ) found
$$;
CREATE FUNCTION rt_my_looked_up() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
    SELECT coalesce(array_agg(citizen_id), '{{}}') FROM citizen_access WHERE staff_id = rt_me()
$$;
CREATE FUNCTION rt_my_indsigt() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
    SELECT coalesce(array_agg(citizen_id), '{{}}') FROM indsigt_grant
    WHERE staff_id = rt_me() AND txid = txid_current()
$$;
CREATE FUNCTION rt_my_meetings() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
    SELECT coalesce(array_agg(DISTINCT x), '{{}}') FROM (
        SELECT meeting_id AS x FROM meeting_participant WHERE staff_id = rt_me()
        UNION SELECT id FROM meeting WHERE rt_me() IN (chair_id, referent_id)
        UNION SELECT ai.meeting_id FROM agenda_item ai JOIN rehab_case c ON c.id = ai.case_id
              WHERE c.sagsbehandler_id = rt_me() OR c.created_by_id = rt_me()
                 OR c.team_id = ANY (rt_my_teams()) OR c.id = ANY (rt_my_extra_cases())
                 OR c.citizen_id = ANY (rt_my_indsigt())) found
$$;
CREATE FUNCTION rt_team_moedeleder(p_team integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
    SELECT rt_has_role('moedeleder') AND EXISTS (
        SELECT 1 FROM team_member WHERE team_id = p_team AND staff_id = rt_me())
$$;
CREATE FUNCTION rt_runs_meeting(p_meeting integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
    SELECT EXISTS (
        SELECT 1 FROM meeting m WHERE m.id = p_meeting
        AND (rt_me() IN (m.chair_id, m.referent_id) OR rt_team_moedeleder(m.team_id)))
$$;
CREATE FUNCTION rt_chairs_meeting(p_meeting integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
    SELECT EXISTS (
        SELECT 1 FROM meeting m WHERE m.id = p_meeting
        AND (m.chair_id = rt_me() OR rt_team_moedeleder(m.team_id)))
$$;
CREATE FUNCTION rt_may_approve(p_meeting integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
    SELECT CASE WHEN p_meeting IS NULL THEN rt_has_role('moedeleder')
                ELSE rt_chairs_meeting(p_meeting) END
$$;
CREATE FUNCTION rt_is_owner() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
    SELECT pg_has_role(session_user, (SELECT relowner FROM pg_class
                                      WHERE oid = to_regclass('audit_event')), 'MEMBER')
$$;
"""

# The audit trail's keyed hashes, computed in the database (pgcrypto is not needed).
AUDIT = """
CREATE FUNCTION rehabteam_hmac(p_key bytea, p_message bytea) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    k bytea := p_key;
    inner_pad bytea;
    outer_pad bytea;
BEGIN
    IF length(k) > 64 THEN k := sha256(k); END IF;
    k := k || decode(repeat('00', 64 - length(k)), 'hex');
    inner_pad := k;
    outer_pad := k;
    FOR i IN 0..63 LOOP
        inner_pad := set_byte(inner_pad, i, get_byte(k, i) # 54);
        outer_pad := set_byte(outer_pad, i, get_byte(k, i) # 92);
    END LOOP;
    RETURN encode(sha256(outer_pad || sha256(inner_pad || p_message)), 'hex');
END
$$;

CREATE FUNCTION rt_meta_key(p_key text) RETURNS bytea
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
    SELECT decode(value, 'hex') FROM app_meta WHERE key = p_key
$$;

CREATE FUNCTION rt_keyed(p_text text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
    SELECT rehabteam_hmac(rt_meta_key('audit_hmac_secret'), convert_to(p_text, 'UTF8'))
$$;

-- The citizen's keyed hash (or a search criterion's): for administrators and the owner,
-- who look a citizen's entries up for an access request.
CREATE FUNCTION rehabteam_citizen_ref(p_text text) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
BEGIN
    IF NOT (rt_has_role('administrator') OR rt_is_owner()) THEN
        RAISE EXCEPTION 'rehabteam: only an administrator may look up audit entries'
            USING ERRCODE = '42501';
    END IF;
    RETURN rt_keyed(p_text);
END
$$;

-- Appending one entry: the actor is the login; the time is the database's; the chain head
-- is locked so concurrent writers queue up (a writer waits 5 s at most, then is told the
-- database is busy); the entry's hash is keyed with the chain key. Internal: called only
-- by the functions below, which check what may be written.
CREATE FUNCTION rt_write_audit(
    p_action text, p_entity text, p_entity_id integer, p_case_id integer, p_ref text,
    p_detail text
) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
DECLARE
    sep constant text := chr(31);
    v_head text;
    v_actor integer;
    v_login text := left(session_user::text, 100);
    v_at timestamptz := clock_timestamp();
    v_detail text := left(coalesce(p_detail, ''), 200);
    v_hash text;
BEGIN
    PERFORM set_config('lock_timeout', '5s', true);
    SELECT value INTO v_head FROM app_meta WHERE key = 'audit_chain_head' FOR UPDATE;
    SELECT id INTO v_actor FROM staff_member WHERE login = session_user AND active;
    v_hash := rehabteam_hmac(rt_meta_key('audit_chain_key'), convert_to(concat_ws(sep,
        replace(v_head, sep, ' '),
        to_char(v_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
        coalesce(v_actor::text, ''),
        replace(v_login, sep, ' '),
        replace(p_action, sep, ' '),
        replace(p_entity, sep, ' '),
        coalesce(p_entity_id::text, ''),
        coalesce(p_case_id::text, ''),
        coalesce(p_ref, ''),
        replace(v_detail, sep, ' ')), 'UTF8'));
    INSERT INTO audit_event (occurred_at, actor_id, actor_login, action, entity, entity_id,
                             case_id, citizen_ref, detail, prev_hash, entry_hash, hash_version)
    VALUES (v_at, v_actor, v_login, p_action, p_entity, p_entity_id, p_case_id,
            coalesce(p_ref, ''), v_detail, v_head, v_hash, 2);
    UPDATE app_meta SET value = v_hash WHERE key = 'audit_chain_head';
END
$$;

-- An entry from the app. Only the app's vocabulary gets in: a known action, an entity name,
-- a detail made of codes (no names, no free text, no CPR-like numbers); a login that is no
-- staff member may only record its own refusal; the seal is the purge's alone.
CREATE FUNCTION rehabteam_audit(
    p_action text, p_entity text, p_entity_id integer, p_case_id integer,
    p_cpr text, p_detail text, p_search text
) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
DECLARE
    v_ref text := '';
    v_detail text := coalesce(p_detail, '');
BEGIN
    IF p_action NOT IN ('read', 'search', 'create', 'update', 'export', 'delete', 'denied')
       OR p_entity !~ '^[a-z_]{{1,40}}$' OR p_entity = 'audit_seal'
       OR v_detail !~ '^[a-z0-9_:=;,.+-]{{0,200}}$' OR v_detail ~ '[0-9]{{6}}-?[0-9]{{4}}'
       OR (rt_me() IS NULL AND p_action <> 'denied' AND NOT rt_is_owner()) THEN
        RAISE EXCEPTION 'rehabteam: not an audit entry the app writes' USING ERRCODE = '42501';
    END IF;
    IF coalesce(p_cpr, '') <> '' THEN
        IF p_cpr !~ '^[0-9]{{10}}$' THEN
            RAISE EXCEPTION 'rehabteam: not a CPR number' USING ERRCODE = '22023';
        END IF;
        v_ref := rt_keyed(p_cpr);
    END IF;
    IF coalesce(p_search, '') <> '' THEN
        v_detail := (CASE WHEN p_search ~ '^[0-9]+$' THEN 'cpr:' ELSE 'name:' END)
            || left(rt_keyed(p_search), 32);
    END IF;
    PERFORM rt_write_audit(p_action, p_entity, p_entity_id, p_case_id, v_ref, v_detail);
END
$$;

-- The retention purge: administrators (or the owner) only, and never younger entries than
-- the installation's retention (app_meta 'audit_retention_days'); the seal names who purged.
CREATE FUNCTION rehabteam_audit_purge(p_before timestamptz) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
DECLARE
    v_last integer;
    v_anchor text;
    v_count integer;
    v_days integer;
BEGIN
    IF NOT (rt_has_role('administrator') OR rt_is_owner()) THEN
        RAISE EXCEPTION 'rehabteam: only an administrator may purge the audit trail'
            USING ERRCODE = '42501';
    END IF;
    SELECT value::integer INTO v_days FROM app_meta WHERE key = 'audit_retention_days';
    IF p_before > now() - make_interval(days => coalesce(v_days, 183)) THEN
        RAISE EXCEPTION 'rehabteam: entries are kept % days', coalesce(v_days, 183)
            USING ERRCODE = '22023';
    END IF;
    PERFORM 1 FROM app_meta WHERE key = 'audit_chain_head' FOR UPDATE;
    SELECT max(id), count(*) INTO v_last, v_count FROM audit_event WHERE occurred_at < p_before;
    IF v_last IS NULL THEN RETURN 0; END IF;
    SELECT entry_hash INTO v_anchor FROM audit_event WHERE id = v_last;
    PERFORM set_config('rehabteam.audit_purge', 'on', true);
    DELETE FROM audit_event WHERE id <= v_last;
    PERFORM set_config('rehabteam.audit_purge', 'off', true);
    PERFORM rt_write_audit('delete', 'audit_seal', NULL, NULL, '',
                           'purged=' || v_count || ';anchor=' || v_anchor);
    RETURN v_count;
END
$$;

-- An administrator answering a citizen's access request sees all of the citizen's cases in
-- the export's transaction only: the grant names the transaction, and is void in any other.
CREATE FUNCTION rehabteam_indsigt(p_cpr text, p_open boolean) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
DECLARE
    v_citizen integer;
BEGIN
    IF NOT rt_has_role('administrator') THEN
        RAISE EXCEPTION 'rehabteam: only an administrator answers access requests'
            USING ERRCODE = '42501';
    END IF;
    DELETE FROM indsigt_grant WHERE staff_id = rt_me();
    SELECT id INTO v_citizen FROM citizen WHERE cpr = p_cpr;
    IF v_citizen IS NULL THEN RETURN NULL; END IF;
    IF p_open THEN
        INSERT INTO indsigt_grant (citizen_id, staff_id, txid)
        VALUES (v_citizen, rt_me(), txid_current());
        PERFORM rt_write_audit('read', 'indsigt', v_citizen, NULL, rt_keyed(p_cpr), 'opened');
    END IF;
    RETURN v_citizen;
END
$$;

-- Each koordinerende sagsbehandler's running ressourceforløb and those awaiting a decision:
-- counts only, over every case (a chair choosing a coordinator needs the whole caseload).
CREATE FUNCTION rehabteam_caseloads() RETURNS TABLE (staff_id integer, n bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
    SELECT coordinator, count(*) FROM (
        SELECT coordinator_id AS coordinator FROM forloeb
        WHERE ended_on IS NULL AND kind = 'ressourceforloeb' AND rt_me() IS NOT NULL
        UNION ALL
        SELECT i.koordinerende_sagsbehandler_id FROM rehab_case c
        JOIN indstilling i ON i.case_id = c.id
        WHERE c.status = 'indstillet' AND i.type = 'ressourceforloeb'
        AND i.status IN ('godkendt', 'sendt') AND rt_me() IS NOT NULL
    ) counted WHERE coordinator IS NOT NULL GROUP BY coordinator
$$;

-- A caseworker with a referral looks the citizen up by full CPR number to open a case for
-- them: from then on they may see the citizen (not the citizen's other cases). Every lookup
-- is in the audit trail, under the citizen when found; more than 30 in ten minutes are
-- refused (a referral is one person, not a list).
CREATE FUNCTION rehabteam_cpr_lookup(p_cpr text) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
DECLARE
    v_me integer := rt_me();
    v_citizen integer;
BEGIN
    IF v_me IS NULL OR p_cpr !~ '^[0-9]{{10}}$' THEN RETURN NULL; END IF;
    IF (SELECT count(*) FROM audit_event WHERE actor_id = v_me AND entity = 'cpr_lookup'
        AND occurred_at > now() - interval '10 minutes') >= 30 THEN
        RAISE EXCEPTION 'rehabteam: too many CPR lookups' USING ERRCODE = '54000';
    END IF;
    SELECT id INTO v_citizen FROM citizen WHERE cpr = p_cpr;
    IF v_citizen IS NOT NULL THEN
        INSERT INTO citizen_access (citizen_id, staff_id, created_at)
        VALUES (v_citizen, v_me, now()) ON CONFLICT DO NOTHING;
    END IF;
    PERFORM rt_write_audit('search', 'cpr_lookup', v_citizen, NULL,
                           CASE WHEN v_citizen IS NULL THEN '' ELSE rt_keyed(p_cpr) END,
                           'cpr:' || left(rt_keyed(p_cpr), 32));
    RETURN v_citizen;
END
$$;

-- May this login see a case of that citizen? (The insert policy of rehab_case asks; a
-- policy may not query its own table.)
CREATE FUNCTION rt_citizen_on_my_cases(p_citizen integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
    SELECT EXISTS (
        SELECT 1 FROM rehab_case c WHERE c.citizen_id = p_citizen
        AND (c.sagsbehandler_id = rt_me() OR c.created_by_id = rt_me()
             OR c.team_id = ANY (rt_my_teams()) OR c.id = ANY (rt_my_extra_cases())))
$$;

-- Is this login at the meeting (a participant, its chair or referent, a mødeleder of its
-- team)? Those write the disciplines' records and the draft.
CREATE FUNCTION rt_at_meeting(p_meeting integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
    SELECT p_meeting = ANY (rt_my_meetings()) AND (rt_runs_meeting(p_meeting) OR EXISTS (
        SELECT 1 FROM meeting_participant WHERE meeting_id = p_meeting AND staff_id = rt_me()))
$$;
"""

# What no team login may change, even in rows it may write (checked before each change;
# the table owner, who migrates and repairs, is not held by them).
GUARDS = """
CREATE FUNCTION rt_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {s}, pg_temp AS $$
DECLARE
    v_old jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    v_new jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    v_keep text[] := '{{version,updated_at,field_stamps}}';
BEGIN
    IF rt_is_owner() THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_TABLE_NAME = 'rehab_case' AND TG_OP = 'UPDATE' AND (
        v_new->'citizen_id' IS DISTINCT FROM v_old->'citizen_id'
        OR v_new->'created_by_id' IS DISTINCT FROM v_old->'created_by_id'
        OR v_new->'team_id' IS DISTINCT FROM v_old->'team_id'
        OR v_new->'sagsbehandler_id' IS DISTINCT FROM v_old->'sagsbehandler_id'
        OR (v_new->>'case_number' IS DISTINCT FROM v_old->>'case_number'
            AND v_old->>'case_number' NOT LIKE 'tmp-%')) THEN
        RAISE EXCEPTION 'rehabteam: a case keeps its citizen, creator, team and caseworker'
            USING ERRCODE = '42501';
    END IF;
    IF TG_TABLE_NAME = 'indstilling' THEN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'rehabteam: an indstilling is never deleted' USING ERRCODE = '42501';
        END IF;
        IF TG_OP = 'INSERT' THEN
            IF v_new->>'status' <> 'kladde' OR v_new->'approved_by_id' <> 'null' THEN
                RAISE EXCEPTION 'rehabteam: a new indstilling is a draft' USING ERRCODE = '42501';
            END IF;
            RETURN NEW;
        END IF;
        IF v_new->'case_id' IS DISTINCT FROM v_old->'case_id'
           OR v_new->'meeting_id' IS DISTINCT FROM v_old->'meeting_id'
           OR v_new->'version_no' IS DISTINCT FROM v_old->'version_no' THEN
            RAISE EXCEPTION 'rehabteam: an indstilling keeps its case and meeting'
                USING ERRCODE = '42501';
        END IF;
        IF v_old->>'status' = 'kladde' AND v_new->>'status' = 'godkendt' THEN
            IF NOT rt_may_approve((v_old->>'meeting_id')::integer)
               OR (v_new->>'approved_by_id')::integer IS DISTINCT FROM rt_me() THEN
                RAISE EXCEPTION 'rehabteam: only the chair approves' USING ERRCODE = '42501';
            END IF;
        ELSIF v_old->>'status' = 'kladde' AND v_new->>'status' = 'kladde' THEN
            IF v_new->'approved_by_id' <> 'null' OR v_new->'approved_at' <> 'null' THEN
                RAISE EXCEPTION 'rehabteam: a draft is not approved' USING ERRCODE = '42501';
            END IF;
        ELSIF v_old->>'status' IN ('godkendt', 'sendt')
              AND v_new->>'status' IN (v_old->>'status', 'sendt', 'erstattet') THEN
            IF (v_new - v_keep - 'status' - 'sent_at') <> (v_old - v_keep - 'status' - 'sent_at')
            THEN
                RAISE EXCEPTION 'rehabteam: an approved indstilling is locked'
                    USING ERRCODE = '42501';
            END IF;
            IF v_new->>'status' = 'erstattet'
               AND NOT rt_may_approve((v_old->>'meeting_id')::integer) THEN
                RAISE EXCEPTION 'rehabteam: only the chair replaces' USING ERRCODE = '42501';
            END IF;
        ELSE
            RAISE EXCEPTION 'rehabteam: not a change an indstilling can have'
                USING ERRCODE = '42501';
        END IF;
    END IF;
    IF TG_TABLE_NAME = 'meeting' AND TG_OP = 'UPDATE' AND (
        v_new->'team_id' IS DISTINCT FROM v_old->'team_id'
        OR ((v_new->'chair_id' IS DISTINCT FROM v_old->'chair_id'
             OR v_new->'referent_id' IS DISTINCT FROM v_old->'referent_id')
            AND NOT rt_team_moedeleder((v_old->>'team_id')::integer))) THEN
        RAISE EXCEPTION 'rehabteam: only a mødeleder of the team changes chair or referent'
            USING ERRCODE = '42501';
    END IF;
    IF TG_TABLE_NAME = 'meeting_participant' AND TG_OP = 'UPDATE'
       AND (v_new - '{{attended,checked_in_at}}'::text[] - v_keep)
           <> (v_old - '{{attended,checked_in_at}}'::text[] - v_keep)
       AND NOT rt_chairs_meeting((v_old->>'meeting_id')::integer) THEN
        RAISE EXCEPTION 'rehabteam: only the chair changes who takes part' USING ERRCODE = '42501';
    END IF;
    IF TG_TABLE_NAME IN ('staff_role', 'team_member') AND TG_OP <> 'DELETE'
       AND (v_new->>'staff_id')::integer = rt_me() THEN
        RAISE EXCEPTION 'rehabteam: no one grants themselves roles or teams'
            USING ERRCODE = '42501';
    END IF;
    IF TG_TABLE_NAME IN ('staff_member', 'staff_role', 'team', 'team_member') THEN
        PERFORM rt_write_audit(lower(CASE TG_OP WHEN 'INSERT' THEN 'create' ELSE TG_OP END),
                               TG_TABLE_NAME, coalesce((v_new->>'id')::integer,
                               (v_new->>'staff_id')::integer, (v_old->>'id')::integer,
                               (v_old->>'staff_id')::integer), NULL, '', 'database');
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
"""
GUARDED = (
    "rehab_case",
    "indstilling",
    "meeting",
    "meeting_participant",
    "staff_member",
    "staff_role",
    "team",
    "team_member",
)

VISIBLE_CASE = (
    "sagsbehandler_id = (SELECT rt_me()) OR created_by_id = (SELECT rt_me()) "
    "OR team_id = ANY ((SELECT rt_my_teams())::integer[]) "
    "OR id = ANY ((SELECT rt_my_extra_cases())::integer[]) "
    "OR citizen_id = ANY ((SELECT rt_my_indsigt())::integer[])"
)
CASE_OF = "EXISTS (SELECT 1 FROM rehab_case c WHERE c.id = {t}.case_id)"
IS_ADMIN = "(SELECT rt_has_role('administrator'))"
IDENTIFIED = "(SELECT rt_me()) IS NOT NULL"
CASE_TABLES = (
    "preparation_field",
    "medical_statement",
    "case_document",
    "agenda_item",
    "discipline_assessment",
    "indstilling",
    "decision",
    "forloeb",
)
STAFF_TABLES = ("staff_member", "staff_role", "team", "team_member")
# Nobody but the owner writes these directly (the audit functions run as the owner).
OWNER_WRITES = ("audit_event", "app_meta", "alembic_version", "citizen_access", "indsigt_grant")

POLICIES = [
    ("rehab_case", "rt_read", "SELECT", VISIBLE_CASE, None),
    (
        "rehab_case",
        "rt_insert",
        "INSERT",
        None,
        # The creator's own, or for one of their teams; or a case that comes back to the team
        # about a citizen the creator already has a case of (a genforelæggelse).
        f"{IDENTIFIED} AND created_by_id = (SELECT rt_me()) "
        "AND (sagsbehandler_id = (SELECT rt_me()) "
        "OR team_id = ANY ((SELECT rt_my_teams())::integer[]) "
        "OR rt_citizen_on_my_cases(citizen_id))",
    ),
    ("rehab_case", "rt_update", "UPDATE", VISIBLE_CASE, VISIBLE_CASE),
    *(
        (table, "rt_case", "ALL", CASE_OF.format(t=table), CASE_OF.format(t=table))
        for table in CASE_TABLES
    ),
    (
        "indstilling_intervention",
        "rt_case",
        "ALL",
        "EXISTS (SELECT 1 FROM indstilling i WHERE i.id = indstilling_id)",
        "EXISTS (SELECT 1 FROM indstilling i WHERE i.id = indstilling_id)",
    ),
    *(
        (
            table,
            "rt_case",
            "ALL",
            "EXISTS (SELECT 1 FROM forloeb f WHERE f.id = forloeb_id)",
            "EXISTS (SELECT 1 FROM forloeb f WHERE f.id = forloeb_id)",
        )
        for table in ("forloeb_intervention", "follow_up_note")
    ),
    (
        "citizen",
        "rt_read",
        "SELECT",
        "registered_by_id = (SELECT rt_me()) OR id = ANY ((SELECT rt_my_looked_up())::integer[]) "
        "OR EXISTS (SELECT 1 FROM rehab_case c WHERE c.citizen_id = citizen.id)",
        None,
    ),
    ("citizen", "rt_insert", "INSERT", None, f"{IDENTIFIED} AND registered_by_id = rt_me()"),
    (
        "citizen",
        "rt_update",
        "UPDATE",
        "registered_by_id = (SELECT rt_me()) OR id = ANY ((SELECT rt_my_looked_up())::integer[]) "
        "OR EXISTS (SELECT 1 FROM rehab_case c WHERE c.citizen_id = citizen.id)",
        None,
    ),
    (
        "citizen_name_token",
        "rt_citizen",
        "ALL",
        "EXISTS (SELECT 1 FROM citizen c WHERE c.id = citizen_id)",
        "EXISTS (SELECT 1 FROM citizen c WHERE c.id = citizen_id)",
    ),
    ("citizen_access", "rt_own", "SELECT", "staff_id = (SELECT rt_me())", None),
    ("indsigt_grant", "rt_own", "SELECT", "staff_id = (SELECT rt_me())", None),
    (
        "meeting",
        "rt_read",
        "SELECT",
        "team_id = ANY ((SELECT rt_my_teams())::integer[]) "
        "OR id = ANY ((SELECT rt_my_meetings())::integer[])",
        None,
    ),
    (
        "meeting",
        "rt_plan",
        "INSERT",
        None,
        "team_id = ANY ((SELECT rt_my_teams())::integer[]) AND (SELECT rt_has_role('moedeleder'))",
    ),
    ("meeting", "rt_run", "UPDATE", "rt_runs_meeting(id)", "rt_runs_meeting(id)"),
    (
        "meeting_participant",
        "rt_read",
        "SELECT",
        "EXISTS (SELECT 1 FROM meeting m WHERE m.id = meeting_id)",
        None,
    ),
    ("meeting_participant", "rt_add", "INSERT", None, "rt_chairs_meeting(meeting_id)"),
    ("meeting_participant", "rt_remove", "DELETE", "rt_chairs_meeting(meeting_id)", None),
    (
        "meeting_participant",
        "rt_check_in",
        "UPDATE",
        "rt_runs_meeting(meeting_id)",
        "rt_runs_meeting(meeting_id)",
    ),
    *((table, "rt_read", "SELECT", IDENTIFIED, None) for table in STAFF_TABLES),
    *((table, "rt_admin", "ALL", IS_ADMIN, IS_ADMIN) for table in STAFF_TABLES),
    (
        "app_meta",
        "rt_read",
        "SELECT",
        f"key NOT IN ('audit_hmac_secret', 'audit_chain_key') OR {IS_ADMIN}",
        None,
    ),
    ("audit_event", "rt_admin", "SELECT", IS_ADMIN, None),
]
# Narrowing (AND-ed) policies: the agenda is changed by whoever runs the meeting; an
# approved indstilling is written only by whoever may approve it.
RESTRICTIVE = [
    ("agenda_item", "rt_agenda_insert", "INSERT", None, "rt_runs_meeting(meeting_id)"),
    (
        "agenda_item",
        "rt_agenda_update",
        "UPDATE",
        "rt_runs_meeting(meeting_id)",
        "rt_runs_meeting(meeting_id)",
    ),
    ("agenda_item", "rt_agenda_delete", "DELETE", "rt_runs_meeting(meeting_id)", None),
    *(
        (
            "discipline_assessment",
            f"rt_at_meeting_{command.lower()}",
            command,
            None if command == "INSERT" else "meeting_id IS NULL OR rt_at_meeting(meeting_id)",
            "meeting_id IS NULL OR rt_at_meeting(meeting_id)",
        )
        for command in ("INSERT", "UPDATE")
    ),
]
RLS_TABLES = sorted({p[0] for p in POLICIES} | {p[0] for p in RESTRICTIVE})
FUNCTIONS = (
    "rt_me()",
    "rt_has_role(text)",
    "rt_my_teams()",
    "rt_my_extra_cases()",
    "rt_my_looked_up()",
    "rt_my_indsigt()",
    "rt_my_meetings()",
    "rt_team_moedeleder(integer)",
    "rt_runs_meeting(integer)",
    "rt_chairs_meeting(integer)",
    "rt_may_approve(integer)",
    "rt_is_owner()",
    "rehabteam_hmac(bytea, bytea)",
    "rt_meta_key(text)",
    "rt_keyed(text)",
    "rt_write_audit(text, text, integer, integer, text, text)",
    "rt_citizen_on_my_cases(integer)",
    "rt_at_meeting(integer)",
    "rt_guard()",
    "rehabteam_citizen_ref(text)",
    "rehabteam_audit(text, text, integer, integer, text, text, text)",
    "rehabteam_audit_purge(timestamptz)",
    "rehabteam_cpr_lookup(text)",
    "rehabteam_indsigt(text, boolean)",
    "rehabteam_caseloads()",
)


# Functions only the others above call (they compute the keyed hashes and write entries).
PRIVATE = (
    "rt_meta_key(text)",
    "rt_keyed(text)",
    "rt_write_audit(text, text, integer, integer, text, text)",
)


def _policy(table: str, name: str, command: str, using: str | None, check: str | None) -> str:
    sql = f"CREATE POLICY {name} ON {table}"
    return (
        sql
        + f" FOR {command}"
        + (f" USING ({using})" if using else "")
        + (f" WITH CHECK ({check})" if check else "")
    )


def _restrictive(table: str, name: str, command: str, using: str | None, check: str | None) -> str:
    return _policy(table, name, command, using, check).replace(
        f"ON {table} FOR", f"ON {table} AS RESTRICTIVE FOR", 1
    )


def upgrade() -> None:
    with op.batch_alter_table("rehab_case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_rehab_case_created_by_id_staff_member"),
            "staff_member",
            ["created_by_id"],
            ["id"],
        )
    with op.batch_alter_table("citizen", schema=None) as batch_op:
        batch_op.add_column(sa.Column("registered_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_citizen_registered_by_id_staff_member"),
            "staff_member",
            ["registered_by_id"],
            ["id"],
        )
    op.create_table(
        "citizen_access",
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["citizen_id"],
            ["citizen.id"],
            name=op.f("fk_citizen_access_citizen_id_citizen"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_member.id"],
            name=op.f("fk_citizen_access_staff_id_staff_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("citizen_id", "staff_id", name=op.f("pk_citizen_access")),
    )
    op.create_table(
        "indsigt_grant",
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("txid", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["citizen_id"],
            ["citizen.id"],
            name=op.f("fk_indsigt_grant_citizen_id_citizen"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_member.id"],
            name=op.f("fk_indsigt_grant_staff_id_staff_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("citizen_id", "staff_id", name=op.f("pk_indsigt_grant")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("hash_version", sa.Integer(), server_default="1", nullable=False)
        )
    app_meta = sa.table("app_meta", sa.column("key", sa.String), sa.column("value", sa.String))
    op.bulk_insert(
        app_meta,
        [
            {"key": "audit_chain_key", "value": secrets.token_hex(32)},
            # The shortest time entries are kept; the purge (and the database) refuses less.
            {"key": "audit_retention_days", "value": "183"},
        ],
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    bind = op.get_bind()
    schema = bind.execute(sa.text("SELECT quote_ident(current_schema())")).scalar_one()
    op.execute(HELPERS.format(s=schema))
    op.execute(AUDIT.format(s=schema))
    op.execute(GUARDS.format(s=schema))
    for function in FUNCTIONS:
        if function.startswith("rehabteam_") or function in PRIVATE:
            op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
    for table in GUARDED:
        op.execute(
            f"CREATE TRIGGER rt_guard BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION rt_guard()"
        )
    for table in RLS_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    for policy in POLICIES:
        op.execute(_policy(*policy))
    for policy in RESTRICTIVE:
        op.execute(_restrictive(*policy))
    # Older set-ups granted the team's role writes on everything; take back what it must
    # never have (TRUNCATE would bypass row-level security).
    grants = bind.execute(
        sa.text(
            "SELECT DISTINCT grantee, table_name, privilege_type "
            "FROM information_schema.role_table_grants "
            "WHERE table_schema = current_schema() AND grantee <> current_user "
            "AND grantee <> 'PUBLIC' AND privilege_type IN "
            "('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER')"
        )
    ).all()
    for grantee, table, privilege in grants:
        if privilege in ("TRUNCATE", "REFERENCES", "TRIGGER") or table in OWNER_WRITES:
            op.execute(f'REVOKE {privilege} ON "{table}" FROM "{grantee}"')
    # A role that wrote the audit trail directly writes it through the function from now on.
    for (grantee,) in {(g,) for g, table, p in grants if table == "audit_event" and p == "INSERT"}:
        for function in FUNCTIONS:
            if function.startswith("rehabteam_"):
                op.execute(f'GRANT EXECUTE ON FUNCTION {function} TO "{grantee}"')


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in GUARDED:
            op.execute(f"DROP TRIGGER IF EXISTS rt_guard ON {table}")
        for table in RLS_TABLES:
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        for table, name, *_ in POLICIES + RESTRICTIVE:
            op.execute(f"DROP POLICY IF EXISTS {name} ON {table}")
        for function in reversed(FUNCTIONS):
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
    op.execute("DELETE FROM app_meta WHERE key IN ('audit_chain_key', 'audit_retention_days')")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_column("hash_version")
    if op.get_bind().dialect.name == "sqlite":  # the batch copy of audit_event lost them
        op.execute(
            "CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event "
            "BEGIN SELECT RAISE(ABORT, 'audit_event is insert-only'); END"
        )
        op.execute(
            "CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event "
            "WHEN (SELECT value FROM app_meta WHERE key = 'audit_purge') IS NOT '1' "
            "BEGIN SELECT RAISE(ABORT, 'audit_event is insert-only'); END"
        )
    op.drop_table("indsigt_grant")
    op.drop_table("citizen_access")
    with op.batch_alter_table("citizen", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_citizen_registered_by_id_staff_member"), type_="foreignkey"
        )
        batch_op.drop_column("registered_by_id")
    with op.batch_alter_table("rehab_case", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_rehab_case_created_by_id_staff_member"), type_="foreignkey"
        )
        batch_op.drop_column("created_by_id")
