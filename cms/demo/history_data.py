"""What the demo semester holds so far (`cms.demo.history`): who contributes, how often, what goes wrong.

Week 1 is the semester's first Monday–Sunday week (A8 counts by those weeks); a department's `weeks` string
gives its submissions in weeks 1, 2, 3 …, so a 0 is a week the department missed its weekly quota; a semester
longer than the string repeats it (the demo's semester is the one around today, `site.semester_around`).
"""

from cms.models import Category, Contribution, PersonKind

SELF, UNIT = Contribution.OnBehalfOf.SELF, Contribution.OnBehalfOf.DEPARTMENT
STUDENT, STAFF = PersonKind.STUDENT, PersonKind.STAFF

# key: kind, number, name, department code. The staff and 张小雨 are the demo's own (site.py, staff.py).
CONTRIBUTORS = {
    "zhang_xiaoyu": (STUDENT, "2026010101", "张小雨", "student-affairs"),
    "chen_siyuan": (STUDENT, "2026010102", "陈思远", "student-affairs"),
    "lin_xiaolin": (STUDENT, "2026020201", "林晓琳", "academic-affairs"),
    "huang_zihan": (STUDENT, "2026020202", "黄子涵", "academic-affairs"),
    "wu_jiayi": (STUDENT, "2026030301", "吴嘉怡", "youth-league"),
    "zheng_haoran": (STUDENT, "2026030302", "郑浩然", "youth-league"),
    "xu_mengyao": (STUDENT, "2026040401", "徐梦瑶", "publicity"),
    "he_junjie": (STUDENT, "2026040402", "何俊杰", "publicity"),
    "ma_xinyi": (STUDENT, "2026050501", "马欣怡", "logistics"),
    "teacher_wang": (STAFF, "T2026001", "王丽华", "student-affairs"),
    "teacher_li": (STAFF, "T2026002", "李红梅", "academic-affairs"),
    "teacher_sun": (STAFF, "T2026003", "孙建国", "youth-league"),
    "teacher_zhao": (STAFF, "T2026004", "赵海燕", "academic-affairs"),
    "teacher_qian": (STAFF, "T2026005", "钱永明", "youth-league"),
    "teacher_shen": (STAFF, "T2026006", "沈国良", "logistics"),
}

# department code: weekly submissions, who provides them in turn (contributor, in their own name or the
# department's), the category the office files them under, the errors the office finds (the item's number in
# the department's list, the reason; an item listed twice is sent back twice), and the titles in order.
PLANS = {
    "student-affairs": {
        "weeks": "22122221222121",
        "rota": [
            ("zhang_xiaoyu", SELF),
            ("teacher_wang", UNIT),
            ("chen_siyuan", SELF),
            ("zhang_xiaoyu", SELF),
            ("teacher_wang", SELF),
        ],
        "category": Category.CAMPUS_LIFE,
        "errors": [(2, "typo")],  # a student's own material: sent back, counted against no one (A20)
        "titles": [
            "2026级新生报到工作顺利完成",
            "新生入学教育系列讲座开讲",
            "我的大学第一周",
            "国家助学金申请工作启动",
            "辅导员走进新生寝室",
            "新生军训汇报表演举行",
            "军训中的一抹“迷彩绿”",
            "学生资助政策宣讲会举行",
            "心理委员培训班开班",
            "寝室文化节拉开帷幕",
            "宿舍里的小确幸",
            "学生干部素质提升训练营结营",
            "“最美寝室”评选结果揭晓",
            "秋季学期学生安全教育周启动",
            "防范电信诈骗，守好钱袋子",
            "奖学金评审结果公示",
            "一名志愿者的周末",
            "学生处开展学风建设月活动",
            "考研经验分享会举行",
            "我和图书馆的约定",
            "冬季消防安全演练举行",
            "心理健康月：学会与压力相处",
            "困难学生冬衣发放工作完成",
            "“一二·九”主题歌咏比赛报名启动",
        ],
    },
    "academic-affairs": {
        "weeks": "11211112111211",
        "rota": [
            ("lin_xiaolin", SELF),
            ("teacher_li", UNIT),
            ("huang_zihan", SELF),
            ("teacher_zhao", SELF),
            ("teacher_zhao", UNIT),
        ],
        "category": Category.STUDY,
        "errors": [(1, "content_mismatch"), (9, "typo")],
        "titles": [
            "秋季学期教学工作顺利开局",
            "我在实训室的第一课",
            "期初教学检查工作完成",
            "英语四级考试报名开始",
            "课堂之外的学习",
            "教师教学能力比赛校赛举行",
            "职业技能等级证书考试安排公布",
            "数学建模竞赛获省级一等奖",
            "我的课程设计心得",
            "期中教学检查工作启动",
            "教学督导听课周举行",
            "选修课选课系统开放",
            "学生技能大赛选拔赛举行",
            "图书馆新增电子资源试用",
            "我的实习日记",
            "期末考试安排公布",
            "第二课堂成绩单系统上线",
        ],
    },
    "youth-league": {
        "weeks": "1101110111011",
        "rota": [
            ("wu_jiayi", SELF),
            ("teacher_sun", UNIT),
            ("zheng_haoran", SELF),
            ("teacher_qian", UNIT),
        ],
        "category": Category.CAMPUS_LIFE,
        "errors": [],
        "titles": [
            "社团招新嘉年华举行",
            "青年志愿者协会迎新",
            "我的第一次志愿服务",
            "团委召开新学期工作会议",
            "“青春心向党”主题团日活动",
            "校园歌手大赛初赛举行",
            "参加“三下乡”的收获",
            "团支部书记培训班开班",
            "青年大学习学习情况通报",
            "义务献血活动温暖校园",
        ],
    },
    "publicity": {
        "weeks": "12112121121211",
        "rota": [
            ("xu_mengyao", UNIT),
            ("he_junjie", SELF),
            ("xu_mengyao", SELF),
            ("he_junjie", UNIT),
        ],
        "category": Category.NEWS,
        "errors": [(0, "typo"), (3, "content_mismatch"), (7, "typo"), (11, "typo"), (15, "content_mismatch")],
        "titles": [
            "学院召开新学期工作部署会",
            "镜头里的开学季",
            "校园记者团招新",
            "学院举行教师节表彰大会",
            "学院与瑞安企业签订合作协议",
            "我眼中的瑞安学院",
            "国庆假期校园掠影",
            "学院召开安全稳定工作会议",
            "学院领导走访合作企业",
            "秋日校园，色彩斑斓",
            "学院举行校友返校日活动",
            "学院党委理论学习中心组学习",
            "记者团的一天",
            "学院获评市级文明校园",
            "学院召开教学工作会议",
            "一张照片的故事",
            "学院举行消防安全培训",
            "校园文化建设成果展开展",
            "初冬的校园",
        ],
    },
    "logistics": {
        "weeks": "1010110101101",
        "rota": [("teacher_shen", UNIT), ("ma_xinyi", UNIT)],
        "category": Category.NEWS,
        # Eight errors in its own material this semester: the head is warned at five, the leader steps in at
        # eight (A20, the policy's default thresholds).
        "errors": [
            (0, "typo"),
            (1, "content_mismatch"),
            (2, "typo"),
            (2, "content_mismatch"),
            (4, "typo"),
            (5, "typo"),
            (6, "content_mismatch"),
            (6, "typo"),
        ],
        "titles": [
            "食堂新学期推出特色菜品",
            "学生宿舍热水改造完成",
            "校园绿化提升工程启动",
            "食堂开展食品安全检查",
            "教学楼电梯更新完成",
            "校园道路维修通告",
            "冬季供暖设备检修完成",
            "后勤服务满意度调查结果",
        ],
    },
}

REASON_COMMENTS = {
    "typo": "文中有错别字，请核对后修改。",
    "content_mismatch": "时间、人数与实际情况不符，请核实后修改。",
}
