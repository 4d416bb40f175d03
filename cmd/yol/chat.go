package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/yol-project/yol/bot"
)

// chat runs `yol chat`: a conversation with the bot in the terminal, or a
// script of one read from a pipe.
func (m *Main) chat(ctx context.Context, args []string) int {
	fl := flag.NewFlagSet("chat", flag.ContinueOnError)
	fl.SetOutput(m.Stderr)
	lang := fl.String("lang", "", "the language a phone would report (az, ru, en, fa, tr, uz, ar)")
	keep := fl.Bool("keep", false, "keep the conversation in the database when the chat ends")
	fl.Usage = func() {
		fmt.Fprintln(m.Stderr, "Usage: yol chat [--lang xx]\n\n"+
			"Talk to the bot in the terminal. Type a number to press a button, /menu and other commands,\n"+
			"`loc 40.41,49.87` to share a location, `contact +994501234567` to share a phone number.\n"+
			"With input from a pipe it runs without prompts, so scenarios can be scripted.")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return 2
	}
	cfg, ok := m.config()
	if !ok {
		return 2
	}
	log := newLogger(io.Discard)
	if v := m.Getenv("YOL_LOG"); v != "" {
		log = newLogger(m.Stderr)
	}
	app, err := m.openApp(ctx, cfg, log, nil)
	if err != nil {
		fmt.Fprintf(m.Stderr, "yol: %v\n", err)
		return 1
	}
	defer app.close(ctx)

	var idb [8]byte
	rand.Read(idb[:])
	chat := bot.Chat{Channel: bot.ChannelTerminal, ID: int64(binary.BigEndian.Uint64(idb[:]) >> 1)}
	interactive := isTerminal(m.Stdin)
	in := bufio.NewScanner(m.Stdin)
	in.Buffer(make([]byte, 64*1024), 64*1024)

	var buttons []bot.Button
	send := func(msg bot.Inbound) bool {
		msg.Chat, msg.LangHint = chat, *lang
		if _, err := app.service.Handle(ctx, msg); err != nil {
			fmt.Fprintf(m.Stderr, "yol: %v\n", err)
			return false
		}
		// Like every channel, the terminal drains its own outbox rows.
		replies, err := app.db.TakeReplies(ctx, chat)
		if err != nil {
			fmt.Fprintf(m.Stderr, "yol: %v\n", err)
			return false
		}
		buttons = m.printReplies(replies)
		return true
	}
	if !send(bot.Inbound{Kind: bot.InCommand, Command: "start"}) {
		return 1
	}
	for {
		if interactive {
			fmt.Fprint(m.Stdout, "> ")
		}
		if !in.Scan() {
			break
		}
		line := strings.TrimSpace(in.Text())
		if line == "" {
			continue
		}
		if !interactive {
			fmt.Fprintf(m.Stdout, "> %s\n", line)
		}
		if line == "/quit" || line == "/exit" {
			break
		}
		if !send(parseChatLine(line, buttons)) {
			return 1
		}
	}
	if !*keep {
		if err := app.db.ForgetChat(ctx, chat); err != nil {
			fmt.Fprintf(m.Stderr, "yol: clean up: %v\n", err)
		}
	}
	return 0
}

// parseChatLine turns a typed line into what a phone would send.
func parseChatLine(line string, buttons []bot.Button) bot.Inbound {
	if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(buttons) {
		return bot.Inbound{Kind: bot.InButton, Data: buttons[n-1].Data}
	}
	if cmd, ok := strings.CutPrefix(line, "/"); ok {
		name, payload, _ := strings.Cut(cmd, " ")
		return bot.Inbound{Kind: bot.InCommand, Command: strings.ToLower(name), Payload: strings.TrimSpace(payload)}
	}
	if rest, ok := strings.CutPrefix(line, "loc "); ok {
		a, b, _ := strings.Cut(rest, ",")
		lat, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
		lng, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
		if err1 == nil && err2 == nil {
			return bot.Inbound{Kind: bot.InLocation, Lat: lat, Lng: lng}
		}
	}
	if rest, ok := strings.CutPrefix(line, "contact "); ok {
		return bot.Inbound{Kind: bot.InContact, Phone: strings.TrimSpace(rest)}
	}
	return bot.Inbound{Kind: bot.InText, Text: line}
}

// printReplies prints replies with their buttons numbered across all of
// them, and returns the buttons in that order.
func (m *Main) printReplies(replies []bot.Reply) []bot.Button {
	var buttons []bot.Button
	for _, r := range replies {
		if r.Text != "" {
			fmt.Fprintln(m.Stdout, r.Text)
		}
		if r.Pin != nil {
			fmt.Fprintf(m.Stdout, "📍 %s — %s (%.5f, %.5f)\n", r.Pin.Title, r.Pin.Address, r.Pin.Lat, r.Pin.Lng)
		}
		for _, row := range r.Buttons {
			var cells []string
			for _, b := range row {
				buttons = append(buttons, b)
				cells = append(cells, fmt.Sprintf("[%d] %s", len(buttons), b.Label))
			}
			fmt.Fprintln(m.Stdout, "  "+strings.Join(cells, "   "))
		}
		switch r.Keyboard {
		case bot.KeyboardRequestLocation:
			fmt.Fprintf(m.Stdout, "  (%s: type loc LAT,LNG)\n", r.KeyboardLabel)
		case bot.KeyboardRequestContact:
			fmt.Fprintf(m.Stdout, "  (%s: type contact +994...)\n", r.KeyboardLabel)
		}
		fmt.Fprintln(m.Stdout)
	}
	return buttons
}

// isTerminal reports whether r is a terminal.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
