package bot

import "context"

// KeywordHelper answers free text from the knowledge base's article
// keywords alone, with no model: the best articles are offered as buttons.
type KeywordHelper struct{}

// Answer implements FreeTextHelper.
func (KeywordHelper) Answer(ctx context.Context, c *Content, lang, question string) (FreeTextAnswer, error) {
	arts := c.KB.SearchArticles(question, lang)
	if len(arts) > 3 {
		arts = arts[:3]
	}
	ans := FreeTextAnswer{Found: len(arts) > 0}
	for _, a := range arts {
		ans.Articles = append(ans.Articles, a.ID)
	}
	return ans, nil
}
