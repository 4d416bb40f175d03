package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"time"

	"github.com/yol-project/yol/bot"
	"github.com/yol-project/yol/bot/llm"
	"github.com/yol-project/yol/bot/metrics"
)

// app is what serve and chat share: the database, the content in use and
// the conversation service.
type app struct {
	db      *database
	pack    *contentPack // loads and reloads the content
	live    *liveContent // follows the database's live version; nil with YOL_CONTENT_DIR
	content *bot.ContentHolder
	service *bot.Service
	model   *llm.Helper // nil: no model configured
	log     *slog.Logger
}

// openApp loads the content (refusing invalid content), opens and migrates
// the database and builds the service.
// met may be nil (no metrics).
func (m *Main) openApp(ctx context.Context, cfg Config, log *slog.Logger, met *metrics.Metrics) (*app, error) {
	pack := &contentPack{}
	if c, probs := pack.load(contentFS(cfg)); c == nil {
		return nil, fmt.Errorf("the content does not load (run yol check):\n  %s", problemLines(probs))
	}
	keys, err := dataKey(cfg, true, log)
	if err != nil {
		return nil, err
	}
	db, err := openDatabase(ctx, cfg, keys, log)
	if err != nil {
		return nil, err
	}
	if err := db.SetPoolSize(ctx, cfg.DBPool); err != nil {
		db.close(context.WithoutCancel(ctx))
		return nil, err
	}
	db.SendAttempts, db.SendGiveUp = cfg.SendAttempts, cfg.SendGiveUp
	if met != nil {
		met.Gauge("yol_dead_letters", "Replies Telegram kept refusing, moved aside (see the dead letters).", func() float64 {
			gctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			n, err := db.DeadLetterCount(gctx)
			if err != nil {
				return math.NaN()
			}
			return float64(n)
		})
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.close(context.WithoutCancel(ctx))
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("applied migrations", "count", len(applied), "schema", applied[len(applied)-1].Version)
	}
	// Appointment places written before schema 5 are plain text; SQL cannot
	// seal them (the key is not in the database), so the first start does.
	if n, err := db.SealLegacyPlaces(ctx, 500); err != nil {
		db.close(context.WithoutCancel(ctx))
		return nil, err
	} else if n > 0 {
		log.Info("sealed appointment places kept in plain text", "count", n)
	}
	// Without YOL_CONTENT_DIR the content is the database's live version.
	var live *liveContent
	if cfg.ContentDir == "" {
		if live, err = startLiveContent(ctx, db.DB, pack, log); err != nil {
			db.close(context.WithoutCancel(ctx))
			return nil, fmt.Errorf("content versions: %w", err)
		}
	}
	holder := pack.holder
	svc := &bot.Service{Store: db.DB, Content: holder, Log: log, Retention: cfg.Retention, Helper: bot.KeywordHelper{}}
	var model *llm.Helper
	if cfg.LLMEnabled() {
		model = llm.New(llm.Config{APIKey: cfg.OpenAIKey, BaseURL: cfg.OpenAIBaseURL, Model: cfg.OpenAIModel, Metrics: met, Log: log})
		svc.Helper = model
		log.Info("free-text help with a model", "model", cfg.OpenAIModel)
	}
	return &app{db: db, pack: pack, live: live, content: holder, service: svc, model: model, log: log}, nil
}

// close closes the app's database, logging any error.
func (a *app) close(ctx context.Context) {
	if err := a.db.close(context.WithoutCancel(ctx)); err != nil {
		a.log.Error("closing the database", "err", err)
	}
}

// transcriber turns voice messages into text through the model server, or
// is nil without one.
func (a *app) transcriber() func(ctx context.Context, audio io.Reader, lang string) (string, error) {
	if a.model == nil {
		return nil
	}
	return a.model.Transcribe
}
