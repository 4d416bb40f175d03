package telegram

import (
	"context"
	"encoding/json"
	"time"
)

// Username asks Telegram for the bot's username (getMe), for the deep
// links of campaign sources.
func (c *Channel) Username(ctx context.Context) (string, error) {
	raw, err := c.api.call(ctx, "getMe", nil, 10*time.Second)
	if err != nil {
		return "", err
	}
	var me struct {
		Username string `json:"username"`
	}
	if err := json.Unmarshal(raw, &me); err != nil || me.Username == "" {
		return "", &NetError{Method: "getMe", Msg: "no username in the answer"}
	}
	return me.Username, nil
}
