package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/yol-project/yol/bot/staff"
)

// funnelGroups maps a dashboard grouping to its column of ev.
var funnelGroups = map[string]string{
	"":           "''",
	"language":   "language",
	"department": "department",
	"campaign":   "campaign",
	"week":       "week",
	// per source and week: "code week" (a code has no space)
	"campaign_week": "campaign || ' ' || week",
}

// Funnel counts, for each group of by ("" for the total, "language",
// "department", "campaign", "week", "campaign_week"), the people who reached each stage of
// staff.Stages between since and until: distinct pseudonyms of
// analytics_events (an event whose person was forgotten counts once), and
// referrals that became regularized (referral_events). Weeks are ISO weeks
// in zone, which PostgreSQL must know by its name (an IANA name such as
// "Asia/Baku"); nil is UTC. A campaign is a source's code, "" (no link)
// or "?" (bot.UnknownCampaign: a payload that named no source, counted
// together with codes no source has).
func (db *DB) Funnel(ctx context.Context, by string, since, until time.Time, zone *time.Location) ([]staff.FunnelRow, error) {
	expr, ok := funnelGroups[by]
	if !ok {
		return nil, fmt.Errorf("funnel: unknown grouping %q", by)
	}
	if zone == nil {
		zone = time.UTC
	}
	rows, err := db.Pool.Query(ctx, `WITH reached AS (
		SELECT name AS stage, coalesce(person::text, 'e' || id) AS who, language, department, campaign_source, at
		FROM analytics_events WHERE name = ANY($3) AND at >= $1 AND at < $2
		UNION ALL
		SELECT $4::text, 'r' || r.id, r.language, r.department, r.campaign_source, e.created_at
		FROM referral_events e JOIN referrals r ON r.id = e.referral_id
		WHERE e.to_status = $4::text AND e.created_at >= $1 AND e.created_at < $2),
		ev AS (SELECT *, to_char(at AT TIME ZONE $5::text, 'IYYY-"W"IW') AS week,
			CASE WHEN campaign_source = '' THEN ''
				WHEN EXISTS (SELECT 1 FROM campaign_sources s WHERE s.code = campaign_source) THEN campaign_source
				ELSE '?' END AS campaign
			FROM reached)
		SELECT `+expr+` AS grp, stage, count(DISTINCT who) FROM ev GROUP BY 1, 2 ORDER BY 1`,
		since, until, staff.Stages[:4], staff.StageRegularized, zone.String())
	if err != nil {
		return nil, fmt.Errorf("funnel: %w", err)
	}
	defer rows.Close()
	var out []staff.FunnelRow
	index := map[string]int{}
	for rows.Next() {
		var grp, stage string
		var n int64
		if err := rows.Scan(&grp, &stage, &n); err != nil {
			return nil, fmt.Errorf("funnel: %w", err)
		}
		i, ok := index[grp]
		if !ok {
			i = len(out)
			index[grp] = i
			out = append(out, staff.FunnelRow{Group: grp, Counts: make([]int64, len(staff.Stages))})
		}
		if k := slices.Index(staff.Stages, stage); k >= 0 {
			out[i].Counts[k] = n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("funnel: %w", err)
	}
	if by == "" && len(out) == 0 {
		out = append(out, staff.FunnelRow{Counts: make([]int64, len(staff.Stages))})
	}
	return out, nil
}
